<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <location filename="../../views/alarms.py" line="55" />
        <source>Smoke</source>
        <translation>烟感</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="55" />
        <source>Water level</source>
        <translation>积水</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="55" />
        <source>Manhole cover</source>
        <translation>井盖</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="56" />
        <source>Gas</source>
        <translation>燃气</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="56" />
        <source>Hydrant pressure</source>
        <translation>消火栓水压</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="56" />
        <source>E-bike charger</source>
        <translation>非机动车充电</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="57" />
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="57" />
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="57" />
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="58" />
        <source>Device direct</source>
        <translation>设备直连</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="58" />
        <source>Via platform</source>
        <translation>平台对接</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="59" />
        <source>False alarm</source>
        <translation>误报</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="59" />
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="59" />
        <source>Duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="60" />
        <source>Maintenance</source>
        <translation>维护</translation>
    </message>
    <message>
        <location filename="../../views/vital_signs.py" line="33" />
        <source>Open tickets</source>
        <translation>在办工单</translation>
    </message>
    <message>
        <location filename="../../views/vital_signs.py" line="33" />
        <source>Overdue tickets</source>
        <translation>超时工单</translation>
    </message>
    <message>
        <location filename="../../views/vital_signs.py" line="34" />
        <source>On-time rate today</source>
        <translation>今日按期结案率</translation>
    </message>
    <message>
        <location filename="../../views/vital_signs.py" line="34" />
        <source>Unanswered alarms</source>
        <translation>未处置告警</translation>
    </message>
    <message>
        <location filename="../../views/vital_signs.py" line="35" />
        <source>Sensors in alarm</source>
        <translation>告警中的传感器</translation>
    </message>
    <message>
        <location filename="../../views/vital_signs.py" line="35" />
        <source>Cameras offline</source>
        <translation>离线监控</translation>
    </message>
    <message>
        <location filename="../../views/vital_signs.py" line="36" />
        <source>Highest water level</source>
        <translation>最高积水</translation>
    </message>
    <message>
        <location filename="../../views/vital_signs.py" line="36" />
        <source>Highest gas reading</source>
        <translation>最高燃气浓度</translation>
    </message>
    <message>
        <location filename="../../views/vital_signs.py" line="57" />
        <source>alarm at ≥ %1</source>
        <translation>告警线 ≥ %1</translation>
    </message>
    <message>
        <location filename="../../views/vital_signs.py" line="57" />
        <source>alarm at ≤ %1</source>
        <translation>告警线 ≤ %1</translation>
    </message>
</context>
<context>
    <name>AlarmModel</name>
    <message>
        <source>%1 (unregistered device)</source>
        <translation>%1（未登记设备）</translation>
    </message>
    <message>
        <source>The platform sent an alarm for a device this desk has no record of: check the device list with the platform; the alarm can still be answered</source>
        <translation>平台发来的告警所属设备在本工位没有登记：请与平台核对设备清单；该告警仍可处置</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="87" />
        <source>Raised</source>
        <translation>告警时间</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="87" />
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="87" />
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="87" />
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="88" />
        <source>Reading</source>
        <translation>读数</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="88" />
        <source>Access</source>
        <translation>接入方式</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="88" />
        <source>Open for</source>
        <translation>已持续</translation>
    </message>
</context>
<context>
    <name>AlarmTicker</name>
    <message>
        <location filename="../../views/wall_mode.py" line="76" />
        <source>No unanswered IoT alarms</source>
        <translation>暂无未处置的物联告警</translation>
    </message>
    <message>
        <location filename="../../views/wall_mode.py" line="84" />
        <source>%1 unanswered alarms · %2 %3 · open %4</source>
        <translation>未处置告警 %1 条 · %2 %3 · 已持续 %4</translation>
    </message>
</context>
<context>
    <name>AlarmsView</name>
    <message>
        <location filename="../../views/alarms.py" line="218" />
        <source>To ticket (T)</source>
        <extracomment>number of open alarms, number of them overdue</extracomment>
        <translation>转为工单 (T)</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="221" />
        <source>Link to ticket (L)</source>
        <translation>关联工单 (L)</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="224" />
        <source>Dismiss (D)</source>
        <translation>忽略 (D)</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="257" />
        <source>%1 open alarms, %2 overdue</source>
        <translation>未处置告警 %1 条，其中超时 %2 条</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="262" />
        <source>Alarm not answered</source>
        <translation>告警未处置</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="263" />
        <source>%1: alarm open for %2 — make a ticket, link or dismiss it</source>
        <translation>%1：告警已持续 %2，请转为工单、关联工单或忽略</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="275" />
        <source>The alarm list could not be read: %1</source>
        <translation>无法读取告警列表：%1</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="292" />
        <source>Alarm %1</source>
        <translation>告警 %1</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="309" />
        <source>Alarm to ticket</source>
        <translation>告警转工单</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="310" />
        <source>Make a ticket of alarm %1?

%2
%3</source>
        <translation>将告警 %1 转为工单？

%2
%3</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="315" />
        <source>Alarm %1 became a new ticket</source>
        <translation>告警 %1 已转为新工单</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="334" />
        <source>no such ticket in the local store</source>
        <translation>本地库中没有这张工单</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="337" />
        <source>Alarm %1 linked to its ticket</source>
        <translation>告警 %1 已关联工单</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="349" />
        <source>Alarm %1 dismissed</source>
        <translation>告警 %1 已忽略</translation>
    </message>
</context>
<context>
    <name>DismissDialog</name>
    <message>
        <location filename="../../views/alarms.py" line="124" />
        <source>Dismiss alarm</source>
        <translation>忽略告警</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="126" />
        <source>Alarm %1 from %2</source>
        <translation>告警 %1（%2）</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="132" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="135" />
        <source>What was found (optional)</source>
        <translation>现场情况（可选）</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="136" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="138" />
        <source>Dismiss</source>
        <translation>忽略</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <location filename="../../views/alarms.py" line="149" />
        <source>Link alarm to a ticket</source>
        <translation>告警关联工单</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="151" />
        <source>Tickets within 300 m in the last 7 days:</source>
        <translation>300 米内近 7 天的工单：</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="164" />
        <source>…or type a ticket number</source>
        <translation>……或输入工单编号</translation>
    </message>
    <message>
        <location filename="../../views/alarms.py" line="167" />
        <source>Link</source>
        <translation>关联</translation>
    </message>
</context>
<context>
    <name>VitalSignsView</name>
    <message>
        <location filename="../../views/vital_signs.py" line="155" />
        <source>Vital signs could not be read: %1</source>
        <translation>无法读取城市体征：%1</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../views/wall_mode.py" line="109" />
        <source>City operations display wall</source>
        <extracomment>the window painted for the first time every panel has loaded once</extracomment>
        <translation>城运综合展示屏</translation>
    </message>
    <message>
        <location filename="../../views/wall_mode.py" line="141" />
        <source>City vital signs</source>
        <translation>城市体征</translation>
    </message>
</context>
</TS>