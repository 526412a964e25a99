<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttentionDialog</name>
    <message>
        <location filename="../../views/attention.py" line="157" />
        <source>Failed sync actions</source>
        <extracomment>ticket_id — open this ticket in the queue</extracomment>
        <translation>同步失败待处理</translation>
    </message>
</context>
<context>
    <name>AttentionList</name>
    <message>
        <source>Shift handover</source>
        <translation>交接班记录</translation>
    </message>
    <message>
        <source>Roster change</source>
        <translation>排班变更</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>应急事件</translation>
    </message>
    <message>
        <source>Emergency checklist</source>
        <translation>应急处置清单</translation>
    </message>
    <message>
        <source>Duty log entry</source>
        <translation>值班日志</translation>
    </message>
    <message>
        <source>Report to the platform: %1</source>
        <translation>上报平台：%1</translation>
    </message>
    <message>
        <source>Duty record</source>
        <translation>值班记录</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="56" />
        <source>Nothing needs attention: every action reached the platform.</source>
        <extracomment>ticket_id — open this ticket in the queue</extracomment>
        <translation>没有同步失败的操作：所有操作均已送达平台。</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="61" />
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="61" />
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="61" />
        <source>What you did</source>
        <translation>您的操作</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="62" />
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="62" />
        <source>Why it failed</source>
        <translation>失败原因</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="67" />
        <source>Redo on the current ticket</source>
        <translation>按当前工单重做</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="69" />
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="71" />
        <source>Open ticket</source>
        <translation>打开工单</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="102" />
        <location filename="../../views/attention.py" line="103" />
        <source>The ticket changed on the platform</source>
        <translation>工单已在平台上变更</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="104" />
        <source>The platform failed on this action several times; the actions after it went on</source>
        <translation>平台处理该操作多次出错，已先将其搁置，其后的操作照常上报</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="106" />
        <source>The platform already has a different action under this number</source>
        <translation>平台上已有同一编号的另一操作</translation>
    </message>
    <message>
        <location filename="../../views/attention.py" line="108" />
        <source>The platform refused a value of this action</source>
        <translation>平台拒收该操作中的某个数值</translation>
    </message>
    <message>
        <source>The action holds a value that cannot be sent; it was set aside</source>
        <translation>该操作含有无法上报的数值，已搁置</translation>
    </message>
    <message>
        <source>Refused: the platform has no account for the person this action names</source>
        <translation>已拒收：平台上没有该操作所署名人员的账号</translation>
    </message>
    <message>
        <source>Refused: the person this action names does not hold that role</source>
        <translation>已拒收：该操作所署名人员不具有所称的角色</translation>
    </message>
    <message>
        <source>Refused: the signature does not match the person this action names (changed, or sent in someone else&apos;s name)</source>
        <translation>已拒收：签名与该操作所署名人员不符（内容被改动，或以他人名义发送）</translation>
    </message>
    <message>
        <source>Refused: the action carries no signature of its officer</source>
        <translation>已拒收：该操作没有操作人员的签名</translation>
    </message>
    <message>
        <source>Refused: the officer was not logged in at this desk</source>
        <translation>已拒收：该人员当时未在本工位登录</translation>
    </message>
    <message>
        <source>Refused: the account is disabled on the platform</source>
        <translation>已拒收：该账号已在平台上停用</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <location filename="../../views/dispatch.py" line="45" />
        <source>Dispatch %1</source>
        <extracomment>department_id — dispatch the ticket(s) to this department reason — send the ticket(s) to the commander's inbox instead</extracomment>
        <translation>派遣 %1</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="47" />
        <source>Dispatch %1 tickets</source>
        <translation>派遣 %1 件工单</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="55" />
        <source>Department (suggested from the responsibility matrix and past cases):</source>
        <translation>处置部门（按责任矩阵和以往案例推荐）：</translation>
    </message>
    <message>
        <source>Past cases here (1–5 picks the department that closed it):</source>
        <translation>本地以往案例（按 1–5 选用其办结部门）：</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>%1. %2 · %3 · %4 · %5</source>
        <translation>%1. %2 · %3 · %4 · %5</translation>
    </message>
    <message>
        <source>reworked</source>
        <translation>有返工</translation>
    </message>
    <message>
        <source>no rework</source>
        <translation>无返工</translation>
    </message>
    <message>
        <source>No closed case of this kind here yet</source>
        <translation>本地暂无同类已结案例</translation>
    </message>
    <message>
        <source>Not suggested: no matrix entry and no past case here</source>
        <translation>未推荐：责任矩阵无此项，本地也无同类案例</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="59" />
        <source>%1 — %2 open</source>
        <translation>%1 — 在办 %2 件</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="61" />
        <source>%1 (suggested)</source>
        <translation>%1（推荐）</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="80" />
        <source>Reason for the commander (leader dispatch)</source>
        <translation>提请指挥长的理由（领导派单）</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="83" />
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="87" />
        <source>Leader dispatch</source>
        <translation>领导派单</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="89" />
        <source>Send to the commander's inbox to decide</source>
        <translation>送指挥长待办，由其决定派遣</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="170" />
        <source>The lead cannot also co-handle; pick another department</source>
        <translation>牵头部门不能同时协办，请另选部门</translation>
    </message>
    <message>
        <location filename="../../views/dispatch.py" line="180" />
        <source>Joint dispatch — lead: %1; co-handling: %2 (Backspace clears)</source>
        <translation>联合派遣 — 牵头：%1；协办：%2（退格键清除）</translation>
    </message>
</context>
<context>
    <name>LimitBadge</name>
    <message>
        <location filename="../../widgets/limit_badge.py" line="41" />
        <location filename="../../widgets/limit_badge.py" line="62" />
        <source>Suspended</source>
        <extracomment>Qt.UserRole + n roles the queue model answers for the limit column</extracomment>
        <translation>挂账</translation>
    </message>
    <message>
        <location filename="../../widgets/limit_badge.py" line="43" />
        <location filename="../../widgets/limit_badge.py" line="63" />
        <source>Done</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../widgets/limit_badge.py" line="45" />
        <source>Not started</source>
        <translation>未起算</translation>
    </message>
    <message>
        <location filename="../../widgets/limit_badge.py" line="53" />
        <source>%1d %2</source>
        <translation>%1天 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/limit_badge.py" line="59" />
        <source>On time</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../widgets/limit_badge.py" line="60" />
        <source>Due soon</source>
        <translation>即将超时</translation>
    </message>
    <message>
        <location filename="../../widgets/limit_badge.py" line="61" />
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
</context>
<context>
    <name>NewTicketDialog</name>
    <message>
        <location filename="../../views/new_ticket.py" line="290" />
        <source>%1 (complete the street and number)</source>
        <translation>%1（请补充路名门牌）</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="60" />
        <source>New ticket</source>
        <extracomment>ticket_id — the ticket was created (locally; the outbox sends it) asks the map to let the officer pick a point; answer with ``set_point``</extracomment>
        <translation>新建工单</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="81" />
        <source>Type to filter categories</source>
        <translation>输入以筛选类别</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="95" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="102" />
        <source>Channel</source>
        <translation>来源渠道</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="107" />
        <source>Priority</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="113" />
        <source>Description</source>
        <translation>问题描述</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="119" />
        <source>Search a committee, grid or known address</source>
        <translation>搜索居委、网格或已知地址</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="130" />
        <source>Find place</source>
        <translation>查找地点</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="134" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="145" />
        <source>Lat</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="147" />
        <source>Lon</source>
        <translation>经度</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="149" />
        <source>Pick on map</source>
        <translation>地图选点</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="158" />
        <source>Point (WGS-84)</source>
        <translation>位置（WGS-84）</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="161" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="165" />
        <source>Reporter</source>
        <translation>反映人</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="168" />
        <source>Reporter phone</source>
        <translation>反映人电话</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="186" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="110" />
        <source>Serious safety hazard: the new ticket is put under key supervision at once</source>
        <translation>存在较大安全隐患：建单即列入重点监管</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="254" />
        <source>Choose a category from the catalogue</source>
        <translation>请从类别目录中选择类别</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="256" />
        <source>Unknown category</source>
        <translation>未知类别</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="259" />
        <source>Describe the problem</source>
        <translation>请填写问题描述</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="261" />
        <source>At most 2000 characters</source>
        <translation>最多 2000 个字符</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="264" />
        <source>Enter the address</source>
        <translation>请填写地址</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="266" />
        <source>At most 200 characters</source>
        <translation>最多 200 个字符</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="269" />
        <source>Choose a place or enter the point</source>
        <translation>请选择地点或填写经纬度</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="271" />
        <source>The point is outside every grid of this street</source>
        <translation>该位置不在本街道任何网格内</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="273" />
        <source>At most 50 characters</source>
        <translation>最多 50 个字符</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="276" />
        <source>Digits only, at most 20</source>
        <translation>只能填数字，最多 20 位</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="318" />
        <source>%1 ticket(s) within 50 m in the last 7 days look like the same matter (★ same category): is this a duplicate? Press Save again to create it anyway.</source>
        <translation>50 米内近 7 天有 %1 件工单疑似同一事项（★ 同类别）：是否重复？再次点击保存仍将新建。</translation>
    </message>
    <message>
        <location filename="../../views/new_ticket.py" line="323" />
        <source>Save anyway</source>
        <translation>仍然保存</translation>
    </message>
    <message>
        <source>The map is not open: open the map panel to pick a point</source>
        <translation>地图未打开：请先打开地图面板再选点</translation>
    </message>
</context>
<context>
    <name>ParamsDialog</name>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="114" />
        <source> h</source>
        <extracomment>dict of the verb's parameters</extracomment>
        <translation> 小时</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="116" />
        <source>Passed</source>
        <translation>核查通过</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="140" />
        <source>Plain</source>
        <translation>普通督办</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="140" />
        <source>Street level</source>
        <translation>街道级督办</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="140" />
        <source>District level</source>
        <translation>区级督办</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="140" />
        <source>Level</source>
        <translation>督办层级</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="140" />
        <source>Urge whom</source>
        <translation>督办对象</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="150" />
        <source>Closure standard</source>
        <translation>结案标准</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="117" />
        <source>Not passed (back to the department)</source>
        <translation>核查不通过（退回部门重办）</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="121" />
        <source>Photo file (JPEG/PNG, at most 10 MB)</source>
        <translation>照片文件（JPEG/PNG，不超过 10 MB）</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="130" />
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="132" />
        <source>Extra time</source>
        <translation>延期时长</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="137" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="140" />
        <source>Site photo</source>
        <translation>现场照片</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="143" />
        <location filename="../../views/ticket_dialogs.py" line="144" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="143" />
        <source>Reason (optional)</source>
        <translation>原因（可选）</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="144" />
        <location filename="../../views/ticket_dialogs.py" line="146" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="145" />
        <source>What was done</source>
        <translation>处置情况</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="159" />
        <source>Choose the site photo</source>
        <translation>选择现场照片</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="160" />
        <source>Images (*.jpg *.jpeg *.png *.bmp *.webp)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.bmp *.webp)</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="170" />
        <source>This field is required</source>
        <translation>此项必填</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="172" />
        <source>At most 2000 characters</source>
        <translation>最多 2000 个字符</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="177" />
        <source>Enter the extra hours</source>
        <translation>请填写延期小时数</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="188" />
        <source>This file is not an image Qt can read</source>
        <translation>该文件不是可识别的图片</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <source>Co-handler to release</source>
        <translation>解除哪个协办部门</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <location filename="../../widgets/photo_viewer.py" line="42" />
        <source>Previous</source>
        <translation>上一张</translation>
    </message>
    <message>
        <location filename="../../widgets/photo_viewer.py" line="43" />
        <source>Next</source>
        <translation>下一张</translation>
    </message>
    <message>
        <location filename="../../widgets/photo_viewer.py" line="44" />
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location filename="../../widgets/photo_viewer.py" line="63" />
        <source>No photos</source>
        <translation>没有照片</translation>
    </message>
    <message>
        <location filename="../../widgets/photo_viewer.py" line="70" />
        <source>Photo %1 of %2</source>
        <translation>照片 %1 / %2</translation>
    </message>
    <message>
        <location filename="../../widgets/photo_viewer.py" line="74" />
        <source>Cannot show this photo: %1</source>
        <translation>无法显示该照片：%1</translation>
    </message>
</context>
<context>
    <name>QueueLabels</name>
    <message>
        <source>Being handled: %1 · %2</source>
        <translation>正在处理：%1 · %2</translation>
    </message>
    <message>
        <source>Open at: %1 · %2</source>
        <translation>正在查看：%1 · %2</translation>
    </message>
    <message>
        <location filename="../../views/queue_labels.py" line="26" />
        <source>Needs action</source>
        <translation>同步失败</translation>
    </message>
    <message>
        <location filename="../../views/queue_labels.py" line="28" />
        <source>Pending sync</source>
        <translation>待同步</translation>
    </message>
    <message>
        <location filename="../../views/queue_labels.py" line="37" />
        <source>To accept</source>
        <extracomment>tab key (localdb.repo.TAB_NAMES) in display order</extracomment>
        <translation>待受理</translation>
    </message>
    <message>
        <location filename="../../views/queue_labels.py" line="37" />
        <source>Due soon</source>
        <translation>即将超时</translation>
    </message>
    <message>
        <location filename="../../views/queue_labels.py" line="37" />
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../views/queue_labels.py" line="38" />
        <source>To verify</source>
        <translation>待核查</translation>
    </message>
    <message>
        <location filename="../../views/queue_labels.py" line="38" />
        <source>Needs commander</source>
        <translation>需指挥长</translation>
    </message>
    <message>
        <location filename="../../views/queue_labels.py" line="39" />
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <location filename="../../views/queue_labels.py" line="39" />
        <source>All</source>
        <translation>全部</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../views/queue_model.py" line="129" />
        <source>Time limit</source>
        <extracomment>sort keys whose value never changes after a ticket is created: a change to a ticket cannot move it when the queue is sorted by one of these largest page of ids one fetchMore reads columns that follow the clock (repainted by the tick) emitted before the id list is replaced (the panel saves its selection) emitted after the id list was replaced (the panel restores its selection) ticket_id, limit state — a ticket just entered warning/overdue</extracomment>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../views/queue_model.py" line="129" />
        <source>Priority</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../views/queue_model.py" line="129" />
        <source>Channel</source>
        <translation>来源渠道</translation>
    </message>
    <message>
        <location filename="../../views/queue_model.py" line="129" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/queue_model.py" line="130" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../views/queue_model.py" line="130" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../views/queue_model.py" line="130" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/queue_model.py" line="130" />
        <source>Department</source>
        <translation>处置部门</translation>
    </message>
    <message>
        <location filename="../../views/queue_model.py" line="131" />
        <source>Age</source>
        <translation>已用时</translation>
    </message>
    <message>
        <location filename="../../views/queue_model.py" line="131" />
        <source>Sync</source>
        <translation>同步</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <location filename="../../views/queue.py" line="133" />
        <source>Search description, address, number (F3)</source>
        <extracomment>default order per tab (column key, descending) dict tab key -&gt; count, after each batch refresh ticket_id — the detail pane shows this ticket now</extracomment>
        <translation>搜索描述、地址、工单号（F3）</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="138" />
        <source>New ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="140" />
        <source>New ticket (Ctrl+N)</source>
        <translation>新建工单（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="143" />
        <location filename="../../views/queue.py" line="495" />
        <source>Failed sync actions</source>
        <translation>同步失败待处理</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="156" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="157" />
        <source>Channel</source>
        <translation>来源渠道</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="158" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="159" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="160" />
        <source>Department</source>
        <translation>处置部门</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="161" />
        <source>Time limit</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="166" />
        <source>%1: any</source>
        <translation>%1：全部</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="174" />
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="174" />
        <source>Needs commander</source>
        <translation>需指挥长</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="175" />
        <source>Pending sync</source>
        <translation>待同步</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="185" />
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="318" />
        <source>Filtered from another panel: %1</source>
        <translation>来自其他面板的筛选：%1</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="335" />
        <source>%1 tickets shown</source>
        <translation>显示 %1 件工单</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="474" />
        <source>Urgent ticket</source>
        <translation>紧急工单</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="474" />
        <source>IoT alarm ticket</source>
        <translation>物联感知告警工单</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="488" />
        <source>IoT alarm</source>
        <translation>物联感知告警</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="494" />
        <source>Failed sync actions (%1)</source>
        <translation>同步失败待处理（%1）</translation>
    </message>
    <message>
        <location filename="../../views/queue.py" line="534" />
        <source>Locate on map</source>
        <translation>地图定位</translation>
    </message>
    <message>
        <source>The lasso holds more than %1 tickets: the queue shows its bounding box</source>
        <translation>套索区域内工单超过 %1 件：列表按其外接矩形显示</translation>
    </message>
    <message>
        <source>The lasso filter failed: %1</source>
        <translation>套索筛选失败：%1</translation>
    </message>
</context>
<context>
    <name>SecondReviewDialog</name>
    <message>
        <location filename="../../views/review.py" line="44" />
        <source>Second review — %1</source>
        <extracomment>Actor — the second officer, whose PIN was checked</extracomment>
        <translation>双审 — %1</translation>
    </message>
    <message>
        <location filename="../../views/review.py" line="46" />
        <source>A second officer, not the one who verified the ticket (%1), confirms with their own id and PIN.</source>
        <translation>由核查人（%1）以外的另一名人员输入本人工号和 PIN 确认。</translation>
    </message>
    <message>
        <location filename="../../views/review.py" line="58" />
        <source>Officer id</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../views/review.py" line="60" />
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../views/review.py" line="65" />
        <source>Confirm review</source>
        <translation>确认双审</translation>
    </message>
    <message>
        <location filename="../../views/review.py" line="76" />
        <source>Enter the second officer's id</source>
        <translation>请输入第二审核人工号</translation>
    </message>
    <message>
        <location filename="../../views/review.py" line="79" />
        <source>The second review must be done by someone other than the verifier</source>
        <translation>双审须由核查人以外的另一人完成</translation>
    </message>
    <message>
        <location filename="../../views/review.py" line="84" />
        <source>Unknown officer id</source>
        <translation>工号不存在</translation>
    </message>
    <message>
        <location filename="../../views/review.py" line="87" />
        <source>Wrong PIN</source>
        <translation>PIN 错误</translation>
    </message>
</context>
<context>
    <name>ShortcutSheet</name>
    <message>
        <location filename="../../views/shortcuts.py" line="24" />
        <source>New ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <location filename="../../views/shortcuts.py" line="25" />
        <source>Search tickets</source>
        <translation>搜索工单</translation>
    </message>
    <message>
        <location filename="../../views/shortcuts.py" line="26" />
        <source>Leave the search box</source>
        <translation>离开搜索框</translation>
    </message>
    <message>
        <location filename="../../views/shortcuts.py" line="27" />
        <source>Tabs: to accept, due soon, overdue, to verify, needs commander, mine</source>
        <translation>标签页：待受理、即将超时、已超时、待核查、需指挥长、我的</translation>
    </message>
    <message>
        <location filename="../../views/shortcuts.py" line="28" />
        <source>All tickets</source>
        <translation>全部工单</translation>
    </message>
    <message>
        <location filename="../../views/shortcuts.py" line="29" />
        <source>Move / extend the selection</source>
        <translation>移动 / 扩展选择</translation>
    </message>
    <message>
        <location filename="../../views/shortcuts.py" line="30" />
        <source>Locate the ticket on the map</source>
        <translation>在地图上定位工单</translation>
    </message>
    <message>
        <location filename="../../views/shortcuts.py" line="31" />
        <source>Failed sync actions</source>
        <translation>同步失败待处理</translation>
    </message>
    <message>
        <location filename="../../views/shortcuts.py" line="32" />
        <source>This sheet</source>
        <translation>本快捷键表</translation>
    </message>
    <message>
        <location filename="../../views/shortcuts.py" line="45" />
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../views/shortcuts.py" line="50" />
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../views/shortcuts.py" line="50" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
</context>
<context>
    <name>TicketActions</name>
    <message>
        <source>Not offered at the %1 post</source>
        <translation>%1岗位不提供此操作</translation>
    </message>
    <message>
        <location filename="../../views/ticket_actions.py" line="122" />
        <location filename="../../views/ticket_actions.py" line="169" />
        <source>No ticket selected</source>
        <extracomment>modules of console.operations searched for a verb's function, in order
----------
ticket_ids — an action was started on these tickets (pending marker) ticket_ids — the local write finished (ok or failed)</extracomment>
        <translation>未选择工单</translation>
    </message>
    <message>
        <location filename="../../views/ticket_actions.py" line="181" />
        <source>%1 (%2 tickets)</source>
        <translation>%1（%2 件）</translation>
    </message>
    <message>
        <location filename="../../views/ticket_actions.py" line="247" />
        <source>Self-handling photo</source>
        <translation>自行处置照片</translation>
    </message>
    <message>
        <source>%1 done: %2</source>
        <translation>%1 已完成：%2</translation>
    </message>
</context>
<context>
    <name>TicketDetail</name>
    <message>
        <source>Merged into %1: follows it and closes with it</source>
        <translation>已并入 %1：随主单办理、随主单办结</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>待反馈</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>已反馈</translation>
    </message>
    <message>
        <source>released</source>
        <translation>已解除</translation>
    </message>
    <message>
        <source>Joint: co-handling %1</source>
        <translation>联合派遣，协办：%1</translation>
    </message>
    <message>
        <source>Main ticket of %1 merged reports: %2</source>
        <translation>主单，已并入 %1 件重复反映：%2</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="1" />
        <source>No camera within %1 m</source>
        <translation>%1 米范围内没有监控点</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="94" />
        <location filename="../../views/ticket_detail.py" line="223" />
        <source>No ticket selected</source>
        <extracomment>roles that may see a reporter's full phone number (the reveal is audited) ticket_id — the officer asked to open another ticket (related list)</extracomment>
        <translation>未选择工单</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="105" />
        <source>Actions</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="112" />
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="116" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="116" />
        <source>Priority</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="117" />
        <source>Channel</source>
        <translation>来源渠道</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="117" />
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="118" />
        <source>Description</source>
        <translation>问题描述</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="118" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="119" />
        <location filename="../../views/ticket_detail.py" line="321" />
        <source>Department</source>
        <translation>处置部门</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="119" />
        <source>Reporter</source>
        <translation>反映人</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="120" />
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="120" />
        <source>Deadline</source>
        <translation>处置时限</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="121" />
        <source>Supervision</source>
        <translation>督办情况</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="121" />
        <source>Verified / reviewed by</source>
        <translation>核查人 / 双审人</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="134" />
        <source>Locate</source>
        <translation>定位</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="136" />
        <source>Centre the map on this ticket</source>
        <translation>地图居中显示该工单</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="140" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="145" />
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="150" />
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="153" />
        <source>Nearest cameras</source>
        <translation>附近摄像头</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="155" />
        <source>Open cameras nearby</source>
        <translation>打开附近摄像头</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="163" />
        <source>Timeline</source>
        <translation>处置记录</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="167" />
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="167" />
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="167" />
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="167" />
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="173" />
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="182" />
        <source>Related tickets (within 50 m and 7 days)</source>
        <translation>关联工单（50 米内、7 天内）</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="190" />
        <source>Link as duplicate</source>
        <translation>关联</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="283" />
        <source>Key supervision</source>
        <translation>重点监管</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="285" />
        <source>Urged %1×</source>
        <translation>已督办 %1 次</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="287" />
        <source>Escalated (level %1)</source>
        <translation>已上提（%1 级）</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="289" />
        <source>Waiting for the commander</source>
        <translation>待指挥长处理</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="291" />
        <source>Extension requested</source>
        <translation>已申请延期</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="295" />
        <source>Only the shift leader or the commander may see the number</source>
        <translation>仅值班长或指挥长可查看完整号码</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="315" />
        <source>Not yet confirmed by the district platform</source>
        <translation>区平台尚未确认</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="321" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="322" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="322" />
        <source>Hours</source>
        <translation>时长（小时）</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="323" />
        <source>Passed</source>
        <translation>核查通过</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="323" />
        <source>On</source>
        <translation>开启</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="447" />
        <source>Closure standard confirmed</source>
        <translation>已确认结案标准</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="323" />
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="331" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="331" />
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="344" />
        <source>Not downloaded to this workstation</source>
        <translation>未下载到本工作站</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="371" />
        <source>Same category nearby: likely a duplicate</source>
        <translation>附近同类工单：可能重复</translation>
    </message>
    <message>
        <location filename="../../views/ticket_detail.py" line="427" />
        <source>Linked to ticket %1 (likely duplicate)</source>
        <translation>关联工单 %1（疑似重复）</translation>
    </message>
    <message>
        <source>Ticket %1 is no longer in this list (now: %2). It stays shown here and actions apply to it; pick another row to move on.</source>
        <translation>工单 %1 已不在此列表中（现为：%2）。它仍显示在这里，操作仍作用于它；请另选一行继续。</translation>
    </message>
    <message>
        <source>Extension of %1 h requested: a shift leader or the commander decides</source>
        <translation>申请延期 %1 小时：由值班长或指挥长审批</translation>
    </message>
</context>
<context>
    <name>TicketDialogs</name>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="58" />
        <source>Choose a photo file</source>
        <translation>请选择照片文件</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="60" />
        <source>The photo is larger than 10 MB</source>
        <translation>照片超过 10 MB</translation>
    </message>
    <message>
        <location filename="../../views/ticket_dialogs.py" line="63" />
        <location filename="../../views/ticket_dialogs.py" line="66" />
        <source>This file is not an image Qt can read</source>
        <translation>该文件不是可识别的图片</translation>
    </message>
    <message>
        <source>Ticket %1 · %2</source>
        <translation>工单 %1 · %2</translation>
    </message>
    <message>
        <source>Extra time asked: %1 h</source>
        <translation>申请延长：%1 小时</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>理由：%1</translation>
    </message>
    <message>
        <source>Asked by: %1, %2</source>
        <translation>申请人：%1，%2</translation>
    </message>
    <message>
        <source>Deadline now: %1 (%2)</source>
        <translation>当前时限：%1（%2）</translation>
    </message>
    <message>
        <source>Approve: the deadline moves %1 h later.</source>
        <translation>批准后：时限延后 %1 小时。</translation>
    </message>
    <message>
        <source>Deny: the deadline stays; the department is told.</source>
        <translation>驳回后：时限不变，并通知处置部门。</translation>
    </message>
</context>
<context>
    <name>QueueFilterBar</name>
    <message>
        <source>Search description, address, number (F3)</source>
        <translation>搜索描述、地址、工单号（F3）</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>来源渠道</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>处置部门</translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>%1: any</source>
        <translation>%1：全部</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Needs commander</source>
        <translation>需指挥长</translation>
    </message>
    <message>
        <source>Pending sync</source>
        <translation>待同步</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Filtered from another panel: %1</source>
        <translation>来自其他面板的筛选：%1</translation>
    </message>
    <message>
        <source>The lasso holds more than %1 tickets: the queue shows its bounding box</source>
        <translation>套索区域内工单超过 %1 件：列表按其外接矩形显示</translation>
    </message>
    <message>
        <source>The lasso filter failed: %1</source>
        <translation>套索筛选失败：%1</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Merge %1 into a main ticket</source>
        <translation>将 %1 并入主单</translation>
    </message>
    <message>
        <source>Open tickets within 300 m in the last 7 days (same category first):</source>
        <translation>300 米内近 7 天未办结的工单（同类别在前）：</translation>
    </message>
    <message>
        <source>%1 (same category)</source>
        <translation>%1（同类别）</translation>
    </message>
    <message>
        <source>…or type the main ticket's number</source>
        <translation>……或输入主单编号</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>并案</translation>
    </message>
    <message>
        <source>No such ticket in the local store</source>
        <translation>本地库中没有这张工单</translation>
    </message>
    <message>
        <source>Pick the main ticket or type its number</source>
        <translation>请选择主单或输入主单编号</translation>
    </message>
</context>
</TS>