<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>MapPanel</name>
    <message>
        <location filename="../../views/map.py" line="1" />
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <location filename="../../views/map.py" line="1" />
        <source>No camera within %1 m</source>
        <translation>%1 米范围内没有监控点</translation>
    </message>
    <message>
        <location filename="../../views/map.py" line="1" />
        <source>Symbols</source>
        <translation>符号</translation>
    </message>
    <message>
        <location filename="../../views/map.py" line="1" />
        <source>Camera (square)</source>
        <translation>监控点（方块）</translation>
    </message>
    <message>
        <location filename="../../views/map.py" line="1" />
        <source>Camera offline</source>
        <translation>监控点离线</translation>
    </message>
    <message>
        <location filename="../../views/map.py" line="1" />
        <source>IoT sensor (diamond)</source>
        <translation>物联感知设备（菱形）</translation>
    </message>
    <message>
        <location filename="../../views/map.py" line="1" />
        <source>Sensor in alarm</source>
        <translation>设备告警</translation>
    </message>
    <message>
        <location filename="../../views/map.py" line="1" />
        <source>Sensor offline</source>
        <translation>设备离线</translation>
    </message>
    <message>
        <location filename="../../views/map.py" line="1" />
        <source>Live alarm (pulsing ring)</source>
        <translation>实时告警（闪烁圆环）</translation>
    </message>
    <message>
        <location filename="../../views/map.py" line="1" />
        <source>Several tickets (number, worst colour)</source>
        <translation>多件工单（数字为件数，颜色取最紧急）</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>IoT alarms without an answer: make a ticket, link or dismiss</source>
        <translation>未处置的物联告警：转为工单、关联工单或忽略</translation>
    </message>
    <message>
        <source>Unanswered IoT alarms</source>
        <translation>未处置的物联告警</translation>
    </message>
        <message>
            <source>Find a grid or committee…</source>
            <translation>查找网格或居委…</translation>
        </message>
        <message>
            <source>Whole street</source>
            <translation>全街</translation>
        </message>
        <message>
            <source>Show the whole street</source>
            <translation>显示整个街道</translation>
        </message>
        <message>
            <source>Base map unavailable: %1</source>
            <translation>底图不可用：%1</translation>
        </message>
        <message>
            <source>The map could not read the local store: %1</source>
            <translation>地图无法读取本地数据库：%1</translation>
        </message>
        <message numerus="yes">
            <source>%n grid feature(s) could not be drawn (invalid geometry)</source>
            <translation>
                <numerusform>%n 个网格无法绘制（几何数据无效）</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n marker(s) skipped (coordinates out of range)</source>
            <translation>
                <numerusform>已跳过 %n 个点位（坐标超出范围）</numerusform>
            </translation>
        </message>
        <message>
            <source>The offline map file cannot be read: %1</source>
            <translation>离线地图文件无法读取：%1</translation>
        </message>
        <message>
            <source>The tile server cannot be reached: %1</source>
            <translation>无法连接地图瓦片服务器：%1</translation>
        </message>
        <message>
            <source>The tile server sent a damaged tile: %1</source>
            <translation>地图瓦片服务器返回了损坏的瓦片：%1</translation>
        </message>
        <message>
            <source>(no number yet)</source>
            <translation>（暂无案件编号）</translation>
        </message>
        <message>
            <source>This ticket has no location on the map.</source>
            <translation>该工单没有地图位置。</translation>
        </message>
        <message>
            <source>The map page could not be loaded.</source>
            <translation>地图页面无法加载。</translation>
        </message>
        <message>
            <source>Base map</source>
            <translation>底图</translation>
        </message>
        <message>
            <source>No base map</source>
            <translation>无底图</translation>
        </message>
        <message>
            <source>Tickets</source>
            <translation>工单</translation>
        </message>
        <message>
            <source>Cameras</source>
            <translation>视频监控</translation>
        </message>
        <message>
            <source>IoT sensors</source>
            <translation>物联感知</translation>
        </message>
        <message numerus="yes">
            <source>Ticket heat (last %n day(s))</source>
            <translation>
                <numerusform>工单热力（近 %n 天）</numerusform>
            </translation>
        </message>
        <message>
            <source>Ticket time limit</source>
            <translation>工单时限</translation>
        </message>
        <message>
            <source>Micro-grid type</source>
            <translation>微网格类型</translation>
        </message>
        <message>
            <source>offline</source>
            <translation>离线</translation>
        </message>
        <message>
            <source>Alarm</source>
            <translation>告警</translation>
        </message>
        <message>
            <source>normal</source>
            <translation>正常</translation>
        </message>
        <message>
            <source>alarm</source>
            <translation>告警</translation>
        </message>
        <message>
            <source>Box select</source>
            <translation>框选</translation>
        </message>
        <message>
            <source>Drag a box to filter the queue by area (or hold Ctrl and drag)</source>
            <translation>拖动画框，按区域筛选工单（或按住 Ctrl 拖动）</translation>
        </message>
        <message>
            <source>Lasso</source>
            <translation>套索</translation>
        </message>
        <message>
            <source>Draw around an area to filter the queue by it (or hold Alt and drag)</source>
            <translation>圈画区域，按该区域筛选工单（或按住 Alt 拖动）</translation>
        </message>
        <message>
            <source>Click the map to choose the location, Esc to cancel</source>
            <translation>点击地图选择位置，Esc 取消</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Emergency resources</source>
            <translation>应急资源</translation>
        </message>
    </context>
</TS>
