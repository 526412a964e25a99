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
</TS>
