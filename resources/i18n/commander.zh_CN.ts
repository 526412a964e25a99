<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChartsView</name>
    <message>
        <location filename="../../views/charts.py" line="72" />
        <source>Rates:</source>
        <extracomment>the figures were recomputed and drawn (localdb.stats.Figures)</extracomment>
        <translation>比率：</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="75" />
        <location filename="../../views/charts.py" line="145" />
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="76" />
        <location filename="../../views/charts.py" line="134" />
        <location filename="../../views/charts.py" line="145" />
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="83" />
        <source>Tickets in per hour: today vs 7-day average</source>
        <translation>每小时新增工单：今日与近7日均值</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="84" />
        <source>Open tickets by state</source>
        <translation>在办工单（按状态）</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="85" />
        <source>Time-limit warnings</source>
        <translation>时限预警</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="86" />
        <source>Closure rates by grid</source>
        <translation>各网格结案率</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="87" />
        <source>Closure rates by department</source>
        <translation>各部门结案率</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="88" />
        <source>Top categories today</source>
        <translation>今日高发类别</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="121" />
        <source>Situation charts could not be computed: %1</source>
        <translation>态势图表计算失败：%1</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="135" />
        <source>7-day average</source>
        <translation>近7日均值</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="138" />
        <source>Open</source>
        <translation>在办</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="139" />
        <source>Warning</source>
        <translation>即将超时</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="139" />
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="140" />
        <location filename="../../views/charts.py" line="143" />
        <source>Tickets</source>
        <translation>工单数</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="148" />
        <source>%1: closure rate %2, on-time closure rate %3 (due %4)</source>
        <translation>%1：结案率 %2，按期结案率 %3（应结案 %4 件）</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="151" />
        <source>Warning %1 · Overdue %2</source>
        <translation>即将超时 %1 · 已超时 %2</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="163" />
        <source>Closure rate %</source>
        <translation>结案率 %</translation>
    </message>
    <message>
        <location filename="../../views/charts.py" line="164" />
        <source>On-time closure rate %</source>
        <translation>按期结案率 %</translation>
    </message>
</context>
<context>
    <name>CommanderPanel</name>
    <message>
        <source>Briefing</source>
        <translation>月度简报</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>考核评价</translation>
    </message>
    <message>
        <source>Supervision alerts</source>
        <translation>警示提醒</translation>
    </message>
    <message>
        <source>Vital signs</source>
        <translation>城市体征</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>告警处置</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="47" />
        <source>Escalated one level</source>
        <translation>上提一级</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="48" />
        <source>District-level supervision</source>
        <translation>区级督办</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="48" />
        <source>Leader dispatch request</source>
        <translation>领导派单请求</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="49" />
        <source>Extension approval</source>
        <translation>延期审批</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="50" />
        <source>Key supervision overdue</source>
        <translation>重点监管超时</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="51" />
        <source>Emergency in progress</source>
        <translation>应急处置进行中</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="79" />
        <source>Number</source>
        <extracomment>the shift changed (duty date ISO, shift name)</extracomment>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="79" />
        <source>Why</source>
        <translation>事由</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="80" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="80" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="81" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="81" />
        <source>Limit</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="148" />
        <source>Decide / instruct…</source>
        <translation>决策 / 批示…</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="151" />
        <source>Show in queue</source>
        <translation>在工单列表中显示</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="164" />
        <source>Inbox</source>
        <translation>待办</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="165" />
        <source>Situation</source>
        <translation>态势</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="166" />
        <source>Duty log</source>
        <translation>值班日志</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="167" />
        <source>Handover</source>
        <translation>交接班</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="168" />
        <source>Roster</source>
        <translation>排班</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="169" />
        <source>Emergency</source>
        <translation>应急</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="198" />
        <source>not on roster</source>
        <translation>未排班</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="207" />
        <source>Rotating commander</source>
        <translation>轮值指挥长</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="207" />
        <source>Shift leader</source>
        <translation>平台值班长</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="207" />
        <source>Officers</source>
        <translation>平台信息员</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="214" />
        <source>Next: %1 %2 — commander %3, shift leader %4</source>
        <translation>下一班：%1 %2 — 指挥长 %3，值班长 %4</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="228" />
        <source>Shift handover</source>
        <translation>交接班</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="229" />
        <source>The shift ends soon: the handover record is ready to sign.</source>
        <translation>本班即将结束：交接班记录已生成，请签字。</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="273" />
        <source>%1 h overdue</source>
        <translation>已超时 %1 小时</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="274" />
        <source>%1 h left</source>
        <translation>剩余 %1 小时</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="287" />
        <source>%1 items waiting for the commander</source>
        <translation>%1 项待指挥长决策</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="301" />
        <source>Select a ticket in the inbox</source>
        <translation>请先在待办中选择工单</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="312" />
        <source>You may approve or deny the extension.</source>
        <translation>您可以批准或驳回延期申请。</translation>
    </message>
    <message>
        <location filename="../../views/commander.py" line="357" />
        <source>EMERGENCY COMMAND: %1</source>
        <translation>应急指挥：%1</translation>
    </message>
    <message>
        <source>Go off post</source>
        <translation>离岗</translation>
    </message>
    <message>
        <source>Back on post</source>
        <translation>返岗</translation>
    </message>
    <message>
        <source>Hand over command…</source>
        <translation>移交指挥权…</translation>
    </message>
    <message>
        <source>Command chain: not on this desk's roster</source>
        <translation>指挥体系：本席位无排班</translation>
    </message>
    <message>
        <source>Command: %1</source>
        <translation>指挥权：%1</translation>
    </message>
    <message>
        <source>you hold command</source>
        <translation>您持有指挥权</translation>
    </message>
    <message>
        <source>Hand over command</source>
        <translation>移交指挥权</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>移交给：</translation>
    </message>
    <message>
        <source>Night watch</source>
        <translation>夜间转接</translation>
    </message>
    <message>
        <source>%1: the hall is unstaffed; the video watch goes to the police station.</source>
        <translation>%1：大厅无人值守，图像监控转接派出所。</translation>
    </message>
    <message>
        <source>%1: shift leader %2, officers %3</source>
        <translation>%1：值班长%2，信息员%3</translation>
    </message>
    <message>
        <source>Shift change</source>
        <translation>交接班</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <location filename="../../views/commander_decision.py" line="30" />
        <source>Commander's decision</source>
        <translation>指挥长决策</translation>
    </message>
    <message>
        <location filename="../../views/commander_decision.py" line="39" />
        <source>Extension requested: %1 h — %2</source>
        <translation>申请延期：%1 小时 — %2</translation>
    </message>
    <message>
        <location filename="../../views/commander_decision.py" line="44" />
        <source>Instruction (批示)</source>
        <translation>批示</translation>
    </message>
    <message>
        <location filename="../../views/commander_decision.py" line="45" />
        <source>Approve the extension</source>
        <translation>批准延期</translation>
    </message>
    <message>
        <location filename="../../views/commander_decision.py" line="46" />
        <source>Deny the extension</source>
        <translation>驳回延期</translation>
    </message>
    <message>
        <location filename="../../views/commander_decision.py" line="63" />
        <source>Instruction, note or reason</source>
        <translation>批示内容、备注或驳回理由</translation>
    </message>
    <message>
        <location filename="../../views/commander_decision.py" line="65" />
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../views/commander_decision.py" line="67" />
        <source>(no dispatch)</source>
        <translation>（不派遣）</translation>
    </message>
    <message>
        <location filename="../../views/commander_decision.py" line="71" />
        <source>Dispatch with the instruction (registered tickets only)</source>
        <translation>随批示派遣（仅限已立案工单）</translation>
    </message>
    <message>
        <location filename="../../views/commander_decision.py" line="72" />
        <source>Dispatch to</source>
        <translation>派遣至</translation>
    </message>
    <message>
        <location filename="../../views/commander_decision.py" line="92" />
        <source>An instruction needs its text.</source>
        <translation>批示内容不能为空。</translation>
    </message>
</context>
<context>
    <name>DutyLogView</name>
    <message>
        <location filename="../../views/duty_log.py" line="33" />
        <source>Note</source>
        <translation>记事</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="34" />
        <source>Call</source>
        <translation>来电</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="35" />
        <source>Incident</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="36" />
        <source>Link</source>
        <translation>链路</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="37" />
        <source>Handover</source>
        <translation>交接班</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="38" />
        <source>Emergency</source>
        <translation>应急</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="39" />
        <source>Decision</source>
        <translation>决策</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="40" />
        <source>Roster</source>
        <translation>排班</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="41" />
        <source>Alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="62" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="62" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="63" />
        <source>Entry</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="63" />
        <source>By</source>
        <translation>记录人</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="74" />
        <source>This shift</source>
        <translation>本班</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="75" />
        <source>Previous shift</source>
        <translation>上一班</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="76" />
        <source>Two shifts ago</source>
        <translation>前两班</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="98" />
        <source>Write a duty-log entry and press Enter</source>
        <translation>输入值班日志，按回车保存</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="101" />
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../views/duty_log.py" line="136" />
        <source>IoT alarm %1 from sensor %2</source>
        <translation>物联告警 %1（传感器 %2）</translation>
    </message>
</context>
<context>
    <name>EmergencyView</name>
    <message>
        <location filename="../../views/emergency.py" line="41" />
        <source>Fire</source>
        <translation>火灾</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="42" />
        <source>Flooding</source>
        <translation>积水内涝</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="43" />
        <source>Gas leak</source>
        <translation>燃气泄漏</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="44" />
        <source>Structural collapse</source>
        <translation>房屋倒塌</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="45" />
        <source>Traffic accident</source>
        <translation>交通事故</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="46" />
        <source>Public health</source>
        <translation>公共卫生</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="47" />
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="122" />
        <source>Plan item</source>
        <extracomment>emergency mode changed (True: emergency command, False: normal duty)</extracomment>
        <translation>预案事项</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="122" />
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="122" />
        <source>Done by</source>
        <translation>完成人</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="123" />
        <source>Done at</source>
        <translation>完成时间</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="130" />
        <source>Switch to emergency command…</source>
        <translation>转入应急指挥（平转战）…</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="134" />
        <source>Back to normal duty…</source>
        <translation>恢复平时值守（战转平）…</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="213" />
        <source>Normal duty (平时). No emergency in progress.</source>
        <translation>平时值守，无进行中的应急事件。</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="218" />
        <source>EMERGENCY: %1 — %2, level %3 — elapsed %4</source>
        <translation>应急：%1 — %2，%3级 — 已历时 %4</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="229" />
        <source>late</source>
        <translation>超时完成</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="229" />
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="268" />
        <source>Back to normal duty</source>
        <translation>恢复平时值守</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="269" />
        <source>Closing note for the duty log (optional):</source>
        <translation>写入值班日志的小结备注（可选）：</translation>
    </message>
    <message>
        <source>Flood and typhoon</source>
        <translation>防汛防台</translation>
    </message>
    <message>
        <source>Large crowd</source>
        <translation>大客流</translation>
    </message>
    <message>
        <source>Hazardous chemicals</source>
        <translation>危化品</translation>
    </message>
    <message>
        <source>Water or power cut</source>
        <translation>停水停电</translation>
    </message>
    <message>
        <source>Level %1</source>
        <translation>%1级</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>责任人</translation>
    </message>
    <message>
        <source>Change level…</source>
        <translation>调整响应等级…</translation>
    </message>
    <message>
        <source>Emergency start</source>
        <translation>启动应急</translation>
    </message>
    <message>
        <source>Change level</source>
        <translation>调整响应等级</translation>
    </message>
    <message>
        <source>Reason for the change of level:</source>
        <translation>调整响应等级的原因：</translation>
    </message>
    <message>
        <source>Change of level</source>
        <translation>调整响应等级</translation>
    </message>
    <message>
        <source>Emergency report (PDF)…</source>
        <translation>应急处置报告（PDF）…</translation>
    </message>
    <message>
        <source>Emergency report</source>
        <translation>应急处置报告</translation>
    </message>
    <message>
        <source>Emergency report written: %1</source>
        <translation>应急处置报告已导出：%1</translation>
    </message>
</context>
<context>
    <name>HandoverView</name>
    <message>
        <location filename="../../views/handover.py" line="91" />
        <source>Prepare handover</source>
        <extracomment>the handover record shown changed (record dict) a handover was signed or acknowledged (handover id)</extracomment>
        <translation>生成交接单</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="94" />
        <source>Sign (outgoing)…</source>
        <translation>交班签字…</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="97" />
        <source>Acknowledge (incoming)…</source>
        <translation>接班确认…</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="100" />
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="102" />
        <source>Export PDF…</source>
        <translation>导出PDF…</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="112" />
        <source>Past handovers</source>
        <translation>历史交接单</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="125" />
        <source>Notes for the incoming shift</source>
        <translation>给接班人员的备注</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="142" />
        <source>No handover prepared</source>
        <translation>尚未生成交接单</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="145" />
        <source>%1: draft, not signed</source>
        <translation>%1：草稿，未签字</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="146" />
        <source>%1: signed by the outgoing shift, waiting for acknowledgement</source>
        <translation>%1：交班人已签字，待接班确认</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="147" />
        <source>%1: handed over and acknowledged</source>
        <translation>%1：已完成交接</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="162" />
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="162" />
        <source>signed</source>
        <translation>已签字</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="162" />
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="216" />
        <source>Sign the handover</source>
        <translation>交班签字</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="217" />
        <source>Outgoing shift leader: enter your own user id and PIN.</source>
        <translation>交班值班长：请输入本人工号和密码。</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="231" />
        <source>Acknowledge the handover</source>
        <translation>接班确认</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="232" />
        <source>Incoming shift leader: enter your own user id and PIN.</source>
        <translation>接班值班长：请输入本人工号和密码。</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="270" />
        <source>Export handover as PDF</source>
        <translation>导出交接单PDF</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="271" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="279" />
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Carry over</source>
        <translation>移交说明</translation>
    </message>
    <message>
        <source>Unresolved: %1 %2 (%3). Note for the incoming shift:</source>
        <translation>未解决：%1 %2（%3）。请填写给接班人员的说明：</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../views/handover.py" line="55" />
        <source>User id</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../views/handover.py" line="56" />
        <source>PIN</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>RosterView</name>
    <message>
        <location filename="../../views/roster.py" line="39" />
        <source>Rotating commander</source>
        <translation>轮值指挥长</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="40" />
        <source>Shift leader</source>
        <translation>平台值班长</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="41" />
        <source>Information officer</source>
        <translation>平台信息员</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="44" />
        <source>Day</source>
        <translation>白班</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="45" />
        <source>Evening</source>
        <translation>中班</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="46" />
        <source>Night</source>
        <translation>夜班</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="47" />
        <source>All day</source>
        <translation>全天</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="113" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="113" />
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="114" />
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="114" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="115" />
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="115" />
        <source>Changed</source>
        <translation>调整</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="140" />
        <source>Swap / replace…</source>
        <translation>换班 / 替班…</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="143" />
        <source>Fill first gap…</source>
        <translation>补排首个空缺…</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="150" />
        <source>History of the selected slot</source>
        <translation>所选班次的调整记录</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="157" />
        <source>Only the shift leader may change the roster</source>
        <translation>只有值班长可以调整排班</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="186" />
        <source>Roster gaps in the coming 7 days: %1</source>
        <translation>未来7天排班空缺：%1</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="190" />
        <source>No roster gaps in the coming 7 days.</source>
        <translation>未来7天排班无空缺。</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="208" />
        <source>current</source>
        <translation>当前</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="208" />
        <source>replaced</source>
        <translation>已替换</translation>
    </message>
    <message>
        <source>Executive deputy commander</source>
        <translation>常务副指挥长</translation>
    </message>
    <message>
        <source>Deputy commander</source>
        <translation>副指挥长</translation>
    </message>
    <message>
        <source>Take over now</source>
        <translation>立即接班</translation>
    </message>
    <message>
        <source>Take the selected slot of the running shift yourself</source>
        <translation>由您本人立即接替所选的当前班次</translation>
    </message>
</context>
<context>
    <name>StartDialog</name>
    <message>
        <location filename="../../views/emergency.py" line="68" />
        <source>Switch to emergency command</source>
        <translation>转入应急指挥</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="84" />
        <source>Level %1</source>
        <translation>%1级</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="86" />
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="87" />
        <source>Incident</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="88" />
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="89" />
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="90" />
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location filename="../../views/emergency.py" line="91" />
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Type an address or place of the street</source>
        <translation>输入本街道的地址或地名</translation>
    </message>
    <message>
        <source>Pick on map</source>
        <translation>地图选点</translation>
    </message>
    <message>
        <source>No place chosen yet</source>
        <translation>尚未确定事发位置</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>预案</translation>
    </message>
    <message>
        <source>Switch the hall to emergency command</source>
        <translation>全厅切换为应急指挥</translation>
    </message>
    <message>
        <source>No plan on this desk yet: synchronise with the district platform</source>
        <translation>本机尚无应急预案：请先与区平台同步</translation>
    </message>
    <message>
        <source>%1 (version %2), steps: %3</source>
        <translation>%1（第%2版），共%3个步骤</translation>
    </message>
    <message>
        <source>No such place in the street: pick the place on the map</source>
        <translation>本街道内没有该地点：请在地图上选点</translation>
    </message>
    <message>
        <source>The map is not open: open the map panel to pick the place</source>
        <translation>地图未打开：请打开地图面板后选点</translation>
    </message>
    <message>
        <source>That place is outside the street: pick again or type an address</source>
        <translation>该位置不在本街道范围内：请重新选点或输入地址</translation>
    </message>
    <message>
        <source>picked on the map</source>
        <translation>地图选点</translation>
    </message>
    <message>
        <source>found by address</source>
        <translation>按地址定位</translation>
    </message>
    <message>
        <source>Name the incident</source>
        <translation>请填写事件名称</translation>
    </message>
    <message>
        <source>Choose the place: pick it on the map or type an address of the street</source>
        <translation>请确定事发位置：在地图上选点或输入本街道的地址</translation>
    </message>
</context>
<context>
    <name>SwapDialog</name>
    <message>
        <location filename="../../views/roster.py" line="78" />
        <source>Change duty</source>
        <extracomment>Roles that may see colleagues' phone numbers unmasked</extracomment>
        <translation>调整排班</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="92" />
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="93" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="94" />
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../views/roster.py" line="95" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>EndDialog</name>
    <message>
        <source>Back to normal duty</source>
        <translation>恢复平时值守</translation>
    </message>
    <message>
        <source>Checklist items still open: %1</source>
        <translation>还有%1项处置未完成：</translation>
    </message>
    <message>
        <source>Why do they stay open? (recorded in the duty log)</source>
        <translation>未完成的原因（记入值班日志）：</translation>
    </message>
    <message>
        <source>Closing note for the duty log (optional):</source>
        <translation>值班日志结束备注（可选）：</translation>
    </message>
    <message>
        <source>Give the reason the open items stay open</source>
        <translation>请填写未完成事项的原因</translation>
    </message>
</context>
<context>
    <name>PushDialog</name>
    <message>
        <source>Push the scene video to the district</source>
        <translation>向区平台推送现场视频</translation>
    </message>
    <message>
        <source>(offline)</source>
        <translation>（离线）</translation>
    </message>
</context>
<context>
    <name>SendsView</name>
    <message>
        <source>Push scene video…</source>
        <translation>推送现场视频…</translation>
    </message>
    <message>
        <source>Video conference…</source>
        <translation>视频会议…</translation>
    </message>
    <message>
        <source>Issue warning…</source>
        <translation>发布预警…</translation>
    </message>
    <message>
        <source>Update warning…</source>
        <translation>更新预警…</translation>
    </message>
    <message>
        <source>Cancel warning…</source>
        <translation>撤销预警…</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>By</source>
        <translation>发送人</translation>
    </message>
    <message>
        <source>Reached the district</source>
        <translation>区平台确认</translation>
    </message>
    <message>
        <source>Scene video: %1</source>
        <translation>现场视频：%1</translation>
    </message>
    <message>
        <source>Video conference</source>
        <translation>视频会议</translation>
    </message>
    <message>
        <source>waiting for the district</source>
        <translation>待区平台确认</translation>
    </message>
    <message>
        <source>Scene video push</source>
        <translation>推送现场视频</translation>
    </message>
    <message>
        <source>No camera within %1 m of the scene</source>
        <translation>现场%1米范围内没有监控</translation>
    </message>
    <message>
        <source>The district is not reachable: who joined? (separate with 、)</source>
        <translation>区平台连接中断：请登记参会单位（用“、”分隔）</translation>
    </message>
    <message>
        <source>Issue warning</source>
        <translation>发布预警</translation>
    </message>
    <message>
        <source>Update warning</source>
        <translation>更新预警</translation>
    </message>
    <message>
        <source>Cancel warning</source>
        <translation>撤销预警</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Assign resources…</source>
        <translation>调派资源…</translation>
    </message>
    <message>
        <source>Assigned: %1</source>
        <translation>已调派：%1</translation>
    </message>
    <message>
        <source>Assign resources</source>
        <translation>调派资源</translation>
    </message>
</context>
<context>
    <name>WarningDialog</name>
    <message>
        <source>Update warning</source>
        <translation>更新预警</translation>
    </message>
    <message>
        <source>Issue a warning</source>
        <translation>发布预警</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>预警级别</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>预警内容</translation>
    </message>
    <message>
        <source>Area around the scene</source>
        <translation>现场周边范围</translation>
    </message>
    <message>
        <source>Valid for (hours)</source>
        <translation>有效期（小时）</translation>
    </message>
</context>
<context>
    <name>NightWatchView</name>
    <message>
        <source>Hand the video watch to the police station…</source>
        <translation>图像监控转接派出所…</translation>
    </message>
    <message>
        <source>Take the watch back…</source>
        <translation>收回图像监控…</translation>
    </message>
    <message>
        <source>Night list: urgent arrivals (key supervision, IoT alarms, top priority)</source>
        <translation>夜间清单：紧急来件（重点监管、物联告警、特急）</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到达</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Matter</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>This street staffs the hall around the clock: no night hand-off.</source>
        <translation>本街道7×24小时值守，夜间无需转接派出所。</translation>
    </message>
    <message>
        <source>Night mode: the video watch is with %1 since %2 (handed over by %3). New tickets wait for the morning crew.</source>
        <translation>夜间模式：图像监控自%2起由%1值守（交接人%3）。新工单留待早班处理。</translation>
    </message>
    <message>
        <source>The hall holds the video watch; from %1 to %2 it goes to %3.</source>
        <translation>图像监控由大厅值守；%1至%2转接%3。</translation>
    </message>
    <message>
        <source>Night hand-off</source>
        <translation>夜间转接</translation>
    </message>
    <message>
        <source>Shift leader: enter your own user id and PIN to hand the watch over.</source>
        <translation>值班长：请输入本人工号和密码以转接图像监控。</translation>
    </message>
    <message>
        <source>Morning take-back</source>
        <translation>早班收回</translation>
    </message>
    <message>
        <source>Morning shift leader: enter your own user id and PIN.</source>
        <translation>早班值班长：请输入本人工号和密码。</translation>
    </message>
    <message>
        <source>Overnight: %1 new tickets, %2 urgent, %3 IoT alarms.</source>
        <translation>夜间：新到工单%1件，紧急%2件，物联告警%3条。</translation>
    </message>
    <message>
        <source>Urgent at night</source>
        <translation>夜间紧急</translation>
    </message>
</context>
<context>
    <name>ResourceDialog</name>
    <message>
        <source>Assign emergency resources</source>
        <translation>调派应急资源</translation>
    </message>
    <message>
        <source>Supply</source>
        <translation>物资</translation>
    </message>
    <message>
        <source>Force</source>
        <translation>力量</translation>
    </message>
    <message>
        <source>(assigned)</source>
        <translation>（已调派）</translation>
    </message>
    <message>
        <source>Note (where to, what for)</source>
        <translation>备注（去向、用途）</translation>
    </message>
</context>
</TS>