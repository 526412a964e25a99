<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BriefingView</name>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Prepare briefing</source>
        <translation>生成简报</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <source>Counting %1…</source>
        <translation>正在统计 %1…</translation>
    </message>
    <message>
        <source>%1: no tickets in this month.</source>
        <translation>%1：本月无工单数据。</translation>
    </message>
    <message>
        <source>%1: %2 received, %3 closed, %4 due.</source>
        <translation>%1：受理 %2 件，结案 %3 件，应结案 %4 件。</translation>
    </message>
    <message>
        <source>Export briefing as PDF</source>
        <translation>导出简报为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Export briefing as JSON</source>
        <translation>导出简报为 JSON</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>SupervisionAlertsView</name>
    <message>
        <source>%1 alerts waiting for acknowledgement</source>
        <translation>%1 条警示待确认</translation>
    </message>
    <message>
        <source>%1 — see the alerts list</source>
        <translation>%1——请在警示提醒列表中确认</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>提醒时间</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>已升级至</translation>
    </message>
    <message>
        <source>Reminders</source>
        <translation>提醒次数</translation>
    </message>
    <message>
        <source>Acknowledge (A)</source>
        <translation>确认 (A)</translation>
    </message>
    <message>
        <source>%1 alert(s) waiting for acknowledgement</source>
        <translation>%1 条警示待确认</translation>
    </message>
    <message>
        <source>Alert: %1</source>
        <translation>警示：%1</translation>
    </message>
</context>
<context>
    <name>EvaluationView</name>
    <message>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation>按期结案率</translation>
    </message>
    <message>
        <source>Closure rate</source>
        <translation>结案率</translation>
    </message>
    <message>
        <source>Rework rate</source>
        <translation>返工率</translation>
    </message>
    <message>
        <source>Return rate</source>
        <translation>退单率</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <source>Beyond responsibility</source>
        <translation>跨前承办</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评价</translation>
    </message>
    <message>
        <source>Handled beyond responsibility (跨前承办), for reward</source>
        <translation>跨前承办工单（供奖励参考）</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>承办部门</translation>
    </message>
    <message>
        <source>Responsible by the matrix</source>
        <translation>责任部门（按责任清单）</translation>
    </message>
    <message>
        <source>Counting %1…</source>
        <translation>正在统计 %1…</translation>
    </message>
    <message>
        <source>%1: %2 departments evaluated.</source>
        <translation>%1：已评价 %2 个部门。</translation>
    </message>
</context>
</TS>
