<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CameraTile</name>
    <message>
        <location filename="../../widgets/camera_tile.py" line="275" />
        <source>no stream address</source>
        <translation>无视频流地址</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="280" />
        <source>unsupported address: %1</source>
        <translation>不支持的地址：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="347" />
        <location filename="../../widgets/camera_tile.py" line="361" />
        <source>stream unavailable</source>
        <translation>视频流不可用</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="348" />
        <source>unsupported format</source>
        <translation>不支持的视频格式</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="349" />
        <source>network error</source>
        <translation>网络错误</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="350" />
        <source>access denied</source>
        <translation>无权访问</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="352" />
        <source>playback error</source>
        <translation>播放错误</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="359" />
        <source>stream ended</source>
        <translation>视频流已中断</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="369" />
        <source>no picture for %1 s</source>
        <translation>%1 秒无画面</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="373" />
        <source>connection timed out</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="413" />
        <source>connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="415" />
        <source>host not found</source>
        <translation>找不到服务器</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="418" />
        <source>no answer from the server</source>
        <translation>服务器无响应</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="438" />
        <source>Playing</source>
        <translation>播放中</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="440" />
        <source>Connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="442" />
        <source>Reconnecting</source>
        <translation>重连中</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="444" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="446" />
        <source>Error: %1</source>
        <translation>错误: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="447" />
        <source>No camera</source>
        <translation>未选择监控</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="447" />
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="460" />
        <source>Drop a camera here</source>
        <translation>将监控点拖到此处</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="463" />
        <source>%1
%2
retrying in %3 s</source>
        <translation>%1
%2
%3 秒后重试</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="464" />
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="467" />
        <source>Camera offline</source>
        <translation>监控点离线</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tile.py" line="469" />
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
</context>
<context>
    <name>CameraTree</name>
    <message>
        <location filename="../../widgets/camera_tree.py" line="238" />
        <source>Search cameras</source>
        <translation>搜索监控点</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="242" />
        <source>By grid</source>
        <translation>按网格</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="243" />
        <source>By source</source>
        <translation>按来源</translation>
    </message>
</context>
<context>
    <name>CameraTreeModel</name>
    <message>
        <location filename="../../widgets/camera_tree.py" line="108" />
        <source>(no grid)</source>
        <translation>（无网格）</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="109" />
        <source>Street</source>
        <translation>街面</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="109" />
        <source>Police</source>
        <translation>公安</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="110" />
        <source>Property</source>
        <translation>物业</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="110" />
        <source>Construction site</source>
        <translation>工地</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="111" />
        <source>(other)</source>
        <translation>（其他）</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="189" />
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="189" />
        <source>offline</source>
        <translation>离线</translation>
    </message>
</context>
<context>
    <name>VideoWallPanel</name>
    <message>
        <source>Alarm video</source>
        <translation>告警联动视频</translation>
    </message>
    <message>
        <source>Cameras near the alarm are on the wall: press Space to acknowledge</source>
        <translation>告警附近的监控已上墙：按空格键确认</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>back online</source>
        <translation>恢复在线</translation>
    </message>
    <message>
        <source>Camera %1: offline and online</source>
        <translation>监控 %1：离线与恢复记录</translation>
    </message>
    <message>
        <source>No outages on record</source>
        <translation>没有离线记录</translation>
    </message>
    <message>
        <source>Offline history…</source>
        <translation>离线记录…</translation>
    </message>
    <message>
        <source>Acknowledge alarm (Space)</source>
        <translation>确认告警（空格）</translation>
    </message>
    <message>
        <source>Camera policy from the platform not usable (%1); the default policy holds</source>
        <translation>平台下发的监控权限策略不可用（%1），按默认策略执行</translation>
    </message>
    <message>
        <source>Camera %1 is not open to you: %2</source>
        <translation>监控 %1 未对您开放：%2</translation>
    </message>
    <message>
        <source>a restricted camera needs the platform&apos;s grant, and the platform cannot be reached</source>
        <translation>受限监控须经平台授权，当前无法连接平台</translation>
    </message>
    <message>
        <source>%1 cameras carry no security level and are treated as internal</source>
        <translation>%1 个监控点未标注信息安全等级，按内部级处理</translation>
    </message>
    <message>
        <location filename="../../views/video_layouts.py" line="40" />
        <source>1 tile</source>
        <translation>单画面</translation>
    </message>
    <message>
        <location filename="../../views/video_layouts.py" line="41" />
        <source>2 × 2</source>
        <translation>四画面</translation>
    </message>
    <message>
        <location filename="../../views/video_layouts.py" line="42" />
        <source>3 × 3</source>
        <translation>九画面</translation>
    </message>
    <message>
        <location filename="../../views/video_layouts.py" line="43" />
        <source>4 × 4</source>
        <translation>十六画面</translation>
    </message>
    <message>
        <location filename="../../views/video_layouts.py" line="44" />
        <source>1 big + 5</source>
        <translation>1大5小</translation>
    </message>
    <message>
        <location filename="../../views/video_layouts.py" line="45" />
        <source>1 big + 7</source>
        <translation>1大7小</translation>
    </message>
    <message>
        <location filename="../../views/video_links.py" line="52" />
        <location filename="../../views/video_wall.py" line="207" />
        <source>Video wall: could not read cameras: %1</source>
        <translation>视频墙：无法读取监控点：%1</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="161" />
        <source>Patrol</source>
        <translation>轮巡</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="163" />
        <source>Cycle the chosen cameras through the tiles</source>
        <translation>所选监控点按时间轮流在各画面中播放</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="167" />
        <source>Cameras to patrol</source>
        <translation>轮巡监控组</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="168" />
        <location filename="../../views/video_wall.py" line="213" />
        <source>All cameras</source>
        <translation>全部监控点</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="172" />
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="174" />
        <source>Patrol interval</source>
        <translation>轮巡间隔</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="178" />
        <source>Clear wall</source>
        <translation>清空画面</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="179" />
        <source>Clear highlights</source>
        <translation>取消高亮</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="180" />
        <source>Own window</source>
        <translation>独立窗口</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="182" />
        <source>Show the wall in its own window (second screen)</source>
        <translation>在独立窗口（第二屏幕）中显示视频墙</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="309" />
        <source>Unknown camera %1</source>
        <translation>未知监控点 %1</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="426" />
        <source>No camera within %1 m</source>
        <translation>%1 米范围内没有监控点</translation>
    </message>
    <message>
        <source>Camera %1 showed no picture: the ticket has no snapshot, only the camera's name</source>
        <translation>监控 %1 没有画面：工单未附截图，只记录了监控名称</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="461" />
        <source>Select a ticket first, then attach the snapshot</source>
        <translation>请先选择工单，再附加截图</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="465" />
        <source>This tile shows no live picture to capture</source>
        <translation>该画面没有可截取的实时图像</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="473" />
        <source>Snapshot attached to the ticket</source>
        <translation>截图已附加到工单</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="484" />
        <source>Attach snapshot to the selected ticket</source>
        <translation>截图并附加到所选工单</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="487" />
        <source>Restore</source>
        <translation>还原</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="487" />
        <source>Maximise</source>
        <translation>最大化</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="490" />
        <source>Remove camera from tile</source>
        <translation>移除该画面的监控点</translation>
    </message>
    <message>
        <location filename="../../views/video_wall.py" line="525" />
        <source>%1 cameras · %2 playing</source>
        <translation>监控点 %1 个 · 播放中 %2 路</translation>
    </message>
</context>
<context>
    <name>WallHost</name>
    <message>
        <location filename="../../views/video_detach.py" line="40" />
        <source>The video wall is in its own window.</source>
        <translation>视频墙已在独立窗口中显示。</translation>
    </message>
    <message>
        <location filename="../../views/video_detach.py" line="42" />
        <source>Bring the wall back</source>
        <translation>收回视频墙</translation>
    </message>
    <message>
        <location filename="../../views/video_detach.py" line="58" />
        <source>Video wall</source>
        <translation>视频墙</translation>
    </message>
</context>
</TS>