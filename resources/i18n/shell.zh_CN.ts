<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../views/about.py" line="+27" />
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Data directory: %1</source>
        <translation>数据目录：%1</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Log file: %1</source>
        <translation>日志文件：%1</translation>
    </message>
</context>
<context>
    <name>AutoLogin</name>
    <message>
        <location filename="../../console/qt/autologin.py" line="+55" />
        <source>Wrong user ID or PIN.</source>
        <extracomment>the logged-in console.domain.model.Actor message for the officer</extracomment>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>User %1 is not known at this workstation (no user list from the platform yet?)</source>
        <translation>本工作站不认识用户 %1（尚未从平台收到用户名单？）</translation>
    </message>
</context>
<context>
    <name>LinkIndicator</name>
    <message>
        <source>this desk cannot read its store: quit and recover</source>
        <translation>本工位无法读取本地库：请退出并恢复</translation>
    </message>
    <message>
        <source>Hall database unreachable: actions are refused and the forms kept until it answers; reconnecting by itself</source>
        <translation>大厅数据库不可达：操作暂不受理，表单保留，数据库恢复后自动重连</translation>
    </message>
    <message>
        <source>this desk syncs for the hall</source>
        <translation>本工位负责全厅同步</translation>
    </message>
    <message>
        <source>sync: %1</source>
        <translation>同步：%1</translation>
    </message>
    <message>
        <source>no desk syncs right now</source>
        <translation>当前无工位同步</translation>
    </message>
    <message>
        <source>%1 desks online</source>
        <translation>%1 个工位在线</translation>
    </message>
    <message>
        <location filename="../../widgets/link_indicator.py" line="+30" />
        <source>%1 s ago</source>
        <translation>%1 秒前</translation>
    </message>
    <message>
        <location line="+2" />
        <source>%1 min ago</source>
        <translation>%1 分钟前</translation>
    </message>
    <message>
        <location line="+1" />
        <source>%1 h ago</source>
        <translation>%1 小时前</translation>
    </message>
    <message>
        <location line="+70" />
        <source>last sync %1</source>
        <extracomment>kind of sound just requested: "link_down" | "link_up"</extracomment>
        <translation>上次同步 %1</translation>
    </message>
    <message>
        <location line="+3" />
        <source>never synced</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location line="+2" />
        <source>%1 waiting to send</source>
        <translation>待发送 %1 条</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Link to the district platform. Actions are kept locally and sent when the link returns.</source>
        <translation>与区城运平台的连接。断线期间的操作保存在本地，恢复后自动发送。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>%1 may not take the %2 post: choose another post.</source>
        <translation>%1 不能登录%2岗位，请选择其他岗位。</translation>
    </message>
    <message>
        <location filename="../../views/login.py" line="+62" />
        <source>Log in — City operations duty console</source>
        <extracomment>the logged-in Actor</extracomment>
        <translation>登录 — 城运中心值班台</translation>
    </message>
    <message>
        <location line="+4" />
        <source>e.g. officer1</source>
        <translation>例如 officer1</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <location line="+1" />
        <source>User ID</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1" />
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Demo accounts (PIN %1):</source>
        <translation>演示账号（密码 %1）：</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+5" />
        <source>City operations centre — command hall</source>
        <translation>城运中心指挥大厅</translation>
    </message>
    <message>
        <location line="+39" />
        <source>Waiting for the user list from the district platform…</source>
        <translation>正在等待区城运平台下发用户名单…</translation>
    </message>
    <message>
        <location line="+28" />
        <source>Enter your user ID and PIN.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Wrong user ID or PIN.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>%1 is not on the roster of the shift now. Check the roster, or press “Log in anyway” to continue.</source>
        <translation>%1 不在本班排班表上。请核对排班，或按“仍然登录”继续。</translation>
    </message>
    <message>
        <source>Log in anyway</source>
        <translation>仍然登录</translation>
    </message>
    <message>
        <source>Screen locked by %1 — the next officer logs in here</source>
        <translation>%1 已锁屏 — 下一位值班人员请在此登录</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../views/main_window.py" line="+59" />
        <source>Ticket queue</source>
        <translation>工单队列</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Video wall</source>
        <translation>视频墙</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Commander</source>
        <translation>指挥长</translation>
    </message>
    <message>
        <location line="+55" />
        <source>City operations duty console</source>
        <extracomment>panel name, the panel widget (real or placeholder) — after it was built all panels built the window is closing (layout saved) the officer asked for the keyboard shortcut sheet the window painted for the first time (panels are built after this)</extracomment>
        <translation>城运中心值班台</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Notices</source>
        <translation>通知</translation>
    </message>
    <message>
        <location line="+164" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Move panel to screen</source>
        <translation>将面板移到屏幕</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Reset layout</source>
        <translation>恢复默认布局(&amp;R)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Keyboard shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Screen %1 (%2)</source>
        <translation>屏幕 %1（%2）</translation>
    </message>
    <message>
        <location line="+133" />
        <source>not on roster</source>
        <translation>排班表未列</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Commander: %1</source>
        <translation>轮值指挥长：%1</translation>
    </message>
    <message>
        <location line="+35" />
        <source>Loaded from the platform: %1 changes</source>
        <translation>已从平台载入 %1 条变更</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Loading from the platform: %1 changes so far…</source>
        <translation>正在从平台载入，已载入 %1 条变更…</translation>
    </message>
    <message>
        <source>&amp;Lock / switch user</source>
        <translation>锁屏/切换用户(&amp;L)</translation>
    </message>
    <message>
        <source>Keep running</source>
        <translation>继续运行</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Quit the duty console</source>
        <translation>退出值班台</translation>
    </message>
    <message>
        <source>Quit the duty console on this workstation? Unsent actions are kept and sent at the next start. To hand the desk to the next officer, use Lock / switch user (Ctrl+L) instead.</source>
        <translation>确定退出本工作站的值班台吗？未发送的操作会保留，下次启动时发送。如需交给下一位值班人员，请改用“锁屏/切换用户”（Ctrl+L）。</translation>
    </message>
    <message>
        <source>Night mode: video watch with %1</source>
        <translation>夜间模式：图像监控由%1值守</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../../widgets/notice_bar.py" line="+40" />
        <source>Details</source>
        <extracomment>level, text of the notice now shown the officer dismissed the bar</extracomment>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+25" />
        <source>(%1 earlier)</source>
        <translation>（之前还有 %1 条）</translation>
    </message>
    <message>
        <location line="+16" />
        <source>Notices</source>
        <translation>通知</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Recent errors and warnings</source>
        <translation>最近的错误和警告</translation>
    </message>
</context>
<context>
    <name>PanelPlaceholder</name>
    <message>
        <location filename="../../views/main_window.py" line="-439" />
        <source>Panel not available</source>
        <translation>此面板尚未就绪</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../views/settings_dialog.py" line="+35" />
        <source>District platform</source>
        <translation>区城运平台</translation>
    </message>
    <message>
        <location line="+1" />
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Duty</source>
        <translation>值班</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <location line="+3" />
        <source>set system-wide</source>
        <translation>系统统一设置</translation>
    </message>
    <message>
        <location line="+1" />
        <source>set on the command line</source>
        <translation>命令行设置</translation>
    </message>
    <message>
        <location line="+13" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Some changes take effect after the console is restarted.</source>
        <translation>部分设置在重新启动值班台后生效。</translation>
    </message>
    <message>
        <location line="+58" />
        <source>Could not save the settings: %1</source>
        <translation>无法保存设置：%1</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
</context>
<context>
    <name>ShortcutSheet</name>
    <message>
        <location filename="../../views/about.py" line="+16" />
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
</context>
<context>
    <name>StoreErrorDialog</name>
    <message>
        <source>The disk is full. The file is sound and nothing is lost: free some space on that disk, then retry.</source>
        <translation>磁盘已满。文件完好，没有丢失任何数据：请清理该磁盘的空间后重试。</translation>
    </message>
    <message>
        <location filename="../../console/qt/store_error.py" line="+31" />
        <source>Local store problem</source>
        <extracomment>the store was moved aside and a fresh one created (or the officer asked to retry)</extracomment>
        <translation>本地数据库故障</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The console cannot open its local store.</source>
        <translation>值班台无法打开本地数据库。</translation>
    </message>
    <message>
        <source>The key that protects citizens' contact data is missing, wrong or readable by other users. Nothing was changed. Restore the key file (the hall's IT engineer keeps a copy; docs/SECURITY.md), then retry.</source>
        <translation>保护市民联系方式的密钥文件缺失、不正确或可被其他用户读取。数据未作任何改动。请恢复密钥文件（大厅信息技术人员保存有副本，见 docs/SECURITY.md）后重试。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The file is damaged. The console can move it aside (it is kept for support), keep the actions not yet sent, and rebuild everything else from the district platform.</source>
        <translation>数据库文件已损坏。值班台可以把它移到一旁（保留供技术支持分析），保留尚未发送的操作，并从区城运平台重建其余数据。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Close other programs using it, check the disk, then retry.</source>
        <translation>请关闭正在使用它的其他程序、检查磁盘后重试。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Move aside and rebuild</source>
        <translation>移开并重建</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Recovery failed</source>
        <translation>恢复失败</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Hall database problem</source>
        <translation>大厅数据库异常</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The console cannot open the hall database.</source>
        <translation>值班台无法打开大厅数据库。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The user name, password or database name of the hall database is wrong. Ask the hall's IT engineer (docs/HALL.md).</source>
        <translation>大厅数据库的用户名、密码或数据库名不正确。请联系大厅信息化工程师（见 docs/HALL.md）。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The hall database is newer than this console. Update the console on this desk; nothing was changed.</source>
        <translation>大厅数据库的版本比本值班台程序新。请升级本工位的值班台程序；数据库未作任何改动。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Another desk is updating the hall database. Retry in a moment.</source>
        <translation>另一工位正在升级大厅数据库，请稍后重试。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The hall server cannot be reached. Check the network and the server, then retry.</source>
        <translation>无法连接大厅服务器。请检查网络和服务器后重试。</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>The local store is damaged: %1</source>
        <translation>本地库已损坏：%1</translation>
    </message>
    <message>
        <source>Local store damaged</source>
        <translation>本地库损坏</translation>
    </message>
    <message>
        <source>This desk cannot read its local store. Quit and recover: the console closes, and at the next start the damaged file is moved aside, the actions not yet sent are kept and the rest is rebuilt from the district platform (or run: duty-console recover).</source>
        <translation>本工位无法读取本地库。请退出并恢复：控制台将关闭，下次启动时损坏的文件会被移到一旁保存，尚未上报的操作全部保留，其余数据从区城运平台重建（也可运行：duty-console recover）。</translation>
    </message>
    <message>
        <source>Quit and recover</source>
        <translation>退出并恢复</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <location filename="../../console/app.py" line="+225" />
        <source>The demo platform did not start: %1</source>
        <extracomment>Heavy Qt-free modules imported in the background during start-up. Set-up some panels need before the QApplication exists (module, function); optional.</extracomment>
        <translation>演示平台未能启动：%1</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Cannot connect to the platform: %1</source>
        <translation>无法连接平台：%1</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../console/qt/errors.py" line="+39" />
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <source>Hotline desk</source>
        <translation>热线信息员</translation>
    </message>
    <message>
        <source>Grid desk</source>
        <translation>网格信息员</translation>
    </message>
    <message>
        <source>Unified management desk</source>
        <translation>一网统管信息员</translation>
    </message>
    <message>
        <source>Platform shift leader</source>
        <translation>平台值班长</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <source>Merge as duplicate</source>
        <translation>并案</translation>
    </message>
    <message>
        <source>Undo merge</source>
        <translation>撤销并案</translation>
    </message>
    <message>
        <source>Closed with main ticket</source>
        <translation>随主单办结</translation>
    </message>
    <message>
        <source>Co-handler feedback</source>
        <translation>协办反馈</translation>
    </message>
    <message>
        <source>Release co-handler</source>
        <translation>解除协办</translation>
    </message>
    <message>
        <source>Local store damaged</source>
        <translation>本地库损坏</translation>
    </message>
    <message>
        <location filename="../../views/labels.py" line="+42" />
        <source>Pending</source>
        <translation>待受理</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Registered</source>
        <translation>已立案</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dispatched</source>
        <translation>已派遣</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Handling</source>
        <translation>处置中</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Feedback received</source>
        <translation>已反馈</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Verified</source>
        <translation>已核查</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Archived</source>
        <translation>已存档</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Suspended</source>
        <translation>挂账</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Returned</source>
        <translation>已退单</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Create</source>
        <translation>新建</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Accept</source>
        <translation>受理</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Register</source>
        <translation>立案</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Start handling</source>
        <translation>处置</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Report feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Verify</source>
        <translation>核查</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Second review</source>
        <translation>双审</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Close</source>
        <translation>结案</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Archive</source>
        <translation>存档</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Return to sender</source>
        <translation>退单</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Request extension</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Approve extension</source>
        <translation>批准延期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Deny extension</source>
        <translation>驳回延期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Suspend</source>
        <translation>挂账</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Urge</source>
        <translation>督办</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Escalate one level</source>
        <translation>上提一级</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Request leader dispatch</source>
        <translation>领导派单</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Commander instruction</source>
        <translation>指挥长批示</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Self-handle</source>
        <translation>自行处置</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Key supervision</source>
        <translation>重点监管</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Add note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+4" />
        <source>12345 citizen hotline</source>
        <translation>12345市民热线</translation>
    </message>
    <message>
        <location line="+1" />
        <source>12319 construction hotline</source>
        <translation>12319建设热线</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Grid inspection</source>
        <translation>网格巡查</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Joint-service station</source>
        <translation>联勤联动站</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Department patrol</source>
        <translation>部门巡查</translation>
    </message>
    <message>
        <location line="+1" />
        <source>IoT sensing</source>
        <translation>物联感知</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Video AI detection</source>
        <translation>智能发现</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Assigned by leader</source>
        <translation>领导交办</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Self-found</source>
        <translation>自行发现</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Media report</source>
        <translation>媒体曝光</translation>
    </message>
    <message>
        <source>Deputies' community reception</source>
        <translation>人大代表和政协委员社区接待</translation>
    </message>
    <message>
        <source>Citizen inspection visit</source>
        <translation>市民巡访</translation>
    </message>
    <message>
        <source>Online media</source>
        <translation>网络媒体</translation>
    </message>
    <message>
        <source>Third-party supervision</source>
        <translation>第三方监督</translation>
    </message>
    <message>
        <source>Direct report from the grassroots</source>
        <translation>基层直报</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Critical</source>
        <translation>特急</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Component</source>
        <translation>部件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Platform information officer</source>
        <translation>平台信息员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shift leader</source>
        <translation>平台值班长</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Rotating commander</source>
        <translation>轮值指挥长</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Handling department</source>
        <translation>处置部门</translation>
    </message>
    <message>
        <location line="+1" />
        <source>District platform</source>
        <translation>区城运平台</translation>
    </message>
    <message>
        <location line="+1" />
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="+4" />
        <source>On time</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Due soon</source>
        <translation>即将超时</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Clock paused</source>
        <translation>挂账暂停</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Done</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Calendar hours</source>
        <translation>自然时</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Working hours</source>
        <translation>工作时</translation>
    </message>
    <message>
        <location line="+4" />
        <source>District</source>
        <translation>区</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Street</source>
        <translation>街镇</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Responsibility grid</source>
        <translation>责任网格</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Village/residents' committee</source>
        <translation>村居委</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Micro-grid</source>
        <translation>微网格</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Residential compound</source>
        <translation>小区</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Enterprise/park</source>
        <translation>企业/园区</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Office building</source>
        <translation>楼宇</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Commercial complex</source>
        <translation>商业体</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Public institution</source>
        <translation>公共机构</translation>
    </message>
    <message>
        <location line="+1" />
        <source>School</source>
        <translation>学校</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Scenic area</source>
        <translation>风景区</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Culture/sports venue</source>
        <translation>文体场所</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Medical facility</source>
        <translation>医疗机构</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Elderly care</source>
        <translation>养老机构</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Construction site</source>
        <translation>工地</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Public area</source>
        <translation>公共区域</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location line="+4" />
        <source>WGS-84</source>
        <translation>WGS-84</translation>
    </message>
    <message>
        <location line="+1" />
        <source>GCJ-02 (Mars coordinates)</source>
        <translation>GCJ-02（国测局坐标）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>CGCS2000</source>
        <translation>CGCS2000</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Day shift 07:00-15:00</source>
        <extracomment>Shift codes used by the roster (三班二运转) -&gt; display names.</extracomment>
        <translation>白班 07:00-15:00</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Evening shift 15:00-23:00</source>
        <translation>中班 15:00-23:00</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Night shift 23:00-07:00</source>
        <translation>夜班 23:00-07:00</translation>
    </message>
    <message>
        <location line="+1" />
        <source>All day</source>
        <translation>全天</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Online</source>
        <extracomment>Link states of console.sync.linkstate -&gt; display names.</extracomment>
        <translation>在线</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Degraded</source>
        <translation>不稳定</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <source>Alert when an IoT alarm stays unanswered this many minutes</source>
        <translation>物联告警未处置超过此分钟数即提醒</translation>
    </message>
    <message>
        <source>Ignore camera/sensor outages shorter than (seconds)</source>
        <translation>忽略短于此秒数的监控/传感器离线</translation>
    </message>
    <message>
        <source>Wrong PINs before an account is locked at this desk</source>
        <translation>账号在本机锁定前允许输错密码的次数</translation>
    </message>
    <message>
        <source>First lock after wrong PINs (minutes; doubles each time)</source>
        <translation>输错密码后首次锁定时长（分钟，每次加倍）</translation>
    </message>
    <message>
        <source>CA bundle for the platform&apos;s TLS certificate</source>
        <translation>区平台 TLS 证书的 CA 证书包</translation>
    </message>
    <message>
        <source>Key file for citizens&apos; contact data</source>
        <translation>市民联系信息密钥文件</translation>
    </message>
    <message>
        <location filename="../../console/settings.py" line="+107" />
        <source>District platform URL</source>
        <translation>区城运平台地址</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Workstation ID</source>
        <translation>工作站编号</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Warn this many minutes before a time limit</source>
        <translation>时限到期前提前提醒（分钟）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Play sounds</source>
        <translation>播放提示音</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Show notices for (seconds)</source>
        <translation>提示显示时长（秒）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Shift start times</source>
        <translation>交班时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Map tile URL template</source>
        <translation>地图瓦片地址模板</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Datum of the map tiles</source>
        <translation>地图瓦片坐标系</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Offline MBTiles file</source>
        <translation>离线 MBTiles 文件</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Use camera sub-streams</source>
        <translation>使用摄像机子码流</translation>
    </message>
    <message>
        <location line="+3" />
        <source>In auto mode, use sub-streams above this many tiles</source>
        <translation>自动模式下，画面数超过此值时使用子码流</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Camera patrol interval (seconds)</source>
        <translation>视频轮巡间隔（秒）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Most video tiles on the wall</source>
        <translation>视频墙最多画面数</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Demo platform seed</source>
        <translation>演示平台随机种子</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Log level</source>
        <translation>日志级别</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Store: empty for this desk's own file, postgresql://… for the hall database</source>
        <translation>数据存储：留空为本工位自己的文件，postgresql://… 为大厅数据库</translation>
    </message>
    <message>
        <source>Command passes on after a chain member is logged out (minutes)</source>
        <translation>指挥体系成员退出登录多久后指挥权顺延（分钟）</translation>
    </message>
</context>
<context>
    <name>sync</name>
    <message>
        <location filename="../../console/qt/sync_bridge.py" line="+125" />
        <source>The district platform refused our token. Check the token in the settings.</source>
        <extracomment>state ("online" | "degraded" | "offline"), info dict (previous, reason, queued, last_ok_at) progress dict from the engine (feed: phase/applied/total_applied/has_more; push: results/outbox_depth) bootstrap: changes applied so far, finished? where ("puller" | "pusher" | "pinger" ...), error text</extracomment>
        <translation>区城运平台拒绝了访问令牌，请检查令牌设置。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Sync problem (%1): %2</source>
        <translation>同步问题（%1）：%2</translation>
    </message>
</context>
<context>
    <name>AuthMessages</name>
    <message>
        <source>Enter your PIN.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>A PIN has digits only.</source>
        <translation>密码只能是数字。</translation>
    </message>
    <message>
        <source>A PIN has 4 to 12 digits.</source>
        <translation>密码为4至12位数字。</translation>
    </message>
    <message>
        <source>Wrong user ID or PIN.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>This account has been disabled by the district platform.</source>
        <translation>此账号已被区平台停用。</translation>
    </message>
    <message>
        <source>Too many wrong PINs: the account is locked at this desk for %1 min. A shift leader can unlock it.</source>
        <translation>密码错误次数过多：账号已在本机锁定%1分钟，值班长可以解锁。</translation>
    </message>
    <message>
        <source>The stored PIN check for this account is damaged: log in while the platform is reachable to renew it.</source>
        <translation>本机保存的该账号密码校验数据已损坏：请在能连接区平台时登录以重新生成。</translation>
    </message>
    <message>
        <source>This account has not logged in at this desk before: log in while the platform is reachable.</source>
        <translation>该账号尚未在本机登录过：请在能连接区平台时登录。</translation>
    </message>
    <message>
        <source>Only a shift leader may do this.</source>
        <translation>只有值班长可以执行此操作。</translation>
    </message>
    <message>
        <source>The PIN could not be checked.</source>
        <translation>无法校验密码。</translation>
    </message>
</context>
<context>
    <name>audit</name>
    <message>
        <source>The audit log of this desk has been tampered with: entry %1 was changed or one before it removed. Tell the shift leader; run “duty-console audit verify” for details.</source>
        <translation>本工位的审计日志已被篡改：第 %1 条被修改，或其之前的记录被删除。请报告值班长，并运行“duty-console audit verify”查看详情。</translation>
    </message>
</context>
</TS>