"""Geometry sketchpad (计算几何画板): the algorithms and their explanations in the Chinese terms of the field (凸包, 旋转卡壳, 平面最近点对, 最小圆覆盖, 半平面交, 三角剖分, 反演 …)."""

ZH = {
    'The number of points':
        '点数',
    'EPS':
        'EPS',
    'The seed':
        '随机种子',
    'Step {index} of {total}: {caption}':
        '第 {index} 步，共 {total} 步：{caption}',
    '{message}  Now: {counts}.':
        '{message}  当前：{counts}。',
    '{message} (seed {seed}).  Now: {counts}.':
        '{message}（随机种子 {seed}）。  当前：{counts}。',
    'Unknown predicates {kind!r}; choose one of {kinds}.':
        '未知的谓词 {kind!r}；请从 {kinds} 中选择。',
    'The float predicate (with this EPS) gives a different hull from the exact one.':
        '浮点谓词（使用当前 EPS）得到的凸包与精确谓词的不同。',
    'The polygon crosses itself: its signed area adds the loops with their orientation.':
        '多边形自相交：其有向面积是各个环按各自方向的面积之和。',
    'Unknown algorithm {name!r}.':
        '未知的算法 {name!r}。',
    '| quantity | value |':
        '| 量 | 值 |',
    'Step {index} is outside this run (it has {total} steps).':
        '第 {index} 步不在本次运行范围内（共 {total} 步）。',
    'When floating point fails: float vs exact orientation':
        '浮点数失效时：浮点与精确的方向判定对比',
    '{name}: {total} steps.':
        '{name}：共 {total} 步。',
    'Float and exact disagree on **{wrong:,}** of {size:,} points (EPS = {eps:g}).':
        '浮点与精确结果在 {size:,} 个点中有 **{wrong:,}** 个不一致（EPS = {eps:g}）。',
    'In space: the 3-D convex hull':
        '在空间中：三维凸包',
    '{n} duplicate point(s) count once.':
        '{n} 个重复点只计一次。',
    'All points are collinear: the hull is a segment and there are no triangles.':
        '所有点共线：凸包是一条线段，没有三角形。',
    'Run an algorithm to see its numbers.':
        '运行一个算法即可看到它的数值结果。',
    'Draw both':
        '画出两者',
    'Press Run first; the slider replays the last run.':
        '请先按“运行”；滑块用于回放上一次运行。',
    'Press Run first; Step advances through the last run.':
        '请先按“运行”；“单步”在上一次运行中逐步前进。',
    'Press Run first; Play replays the last run.':
        '请先按“运行”；“播放”会回放上一次运行。',
    'Canvas ({width}×{height}) — click to add':
        '画布（{width}×{height}）—— 点击添加',
    'Current step':
        '当前步骤',
    '▶ Play':
        '▶ 播放',
    'Step ›':
        '单步 ›',
    '■ Stop':
        '■ 停止',
    'Step of the run':
        '回放到第几步',
    '{n} random points to start with: press Run, or click on the canvas to add your own.':
        '先放了 {n} 个随机点：按“运行”，或在画布上点击添加你自己的点。',
    'Load preset':
        '载入预设',
    'EPS for the float panel':
        '浮点面板的 EPS',
    'float':
        '浮点',
    'exact':
        '精确',
    'Click mode':
        '点击模式',
    'Snap clicks to the grid (40 px; Pick counts grid squares)':
        '点击吸附到网格（40 px；Pick 定理按网格计数）',
    'What Clear removes':
        '“清除”删除的内容',
    'Undo':
        '撤销',
    'Clear':
        '清除',
    'Preset':
        '预设',
    'Preset size (points ≤ {max:,})':
        '预设大小（点数 ≤ {max:,}）',
    'Predicates (hulls, polygon)':
        '谓词（凸包、多边形）',
    'EPS (float only)':
        'EPS（仅浮点）',
    'Keep collinear hull points':
        '保留凸包上的共线点',
    'Point in polygon by':
        '点在多边形内的判定方法',
    'ray':
        '射线法',
    'winding':
        '环绕数',
    ' Qhull: {qhull} vertices, volume {qhull_volume:.6g}; ours: {ours} vertices, volume '
    '{volume:.6g}.':
        ' Qhull：{qhull} 个顶点，体积 {qhull_volume:.6g}；本实现：{ours} 个顶点，体积 {volume:.6g}。',
    'Build the hull':
        '构建凸包',
    'Hull (x, y, z)':
        '凸包 (x, y, z)',
    'Point cloud':
        '点云',
    'Points (4 to {max})':
        '点数（4 到 {max}）',
    '\n## Geometry sketchpad\nClick on the canvas to add input in the chosen **mode** (points; '
    'polygon vertices — click the first vertex\nagain to close it; segments and half-planes take '
    'two clicks each, a half-plane being the **left** side of\nits arrow; the query point). Or '
    'load a preset. Then choose an algorithm and press **Run**; **Play**,\n**Step** and the slider '
    'replay it. Coordinates are canvas pixels with y pointing up.\n\nCaps: {points:,} points '
    '(clicked or preset) for animated runs, {polygon} polygon vertices,\n{segments} segments, '
    '{halfplanes} half-planes. Play shows at most {frames} frames of a run.\n':
        '\n## 计算几何画板\n在画布上点击，按所选的**模式**添加输入（点；多边形顶点 —— '
        '再次点击第一个顶点即可闭合；线段和半平面各需点击两次，半平面是箭头的**左侧**；查询点）。也可以载入预设。然后选择算法并按**运行**；**播放**、**单步**和滑块可以回放过程。坐标为画布像素，y '
        '轴向上。\n\n上限：动画运行最多 {points:,} 个点（点击或预设），多边形 {polygon} 个顶点，{segments} 条线段，{halfplanes} '
        '个半平面。每次运行“播放”最多显示 {frames} 帧。\n',
    '\nEvery point of this 256 × 256 grid lies within a few units in the last place of the line y '
    '= x through\nq = (12, 12) and r = (24, 24): p = (0.5 + i·2⁻⁵³, 0.5 + j·2⁻⁵³). Colour = sign '
    'of\n$\\operatorname{orient}(p, q, r)$: blue left, red right, white collinear (Kettner et al., '
    '2008).\n**Exact** arithmetic gives the clean diagonal; **float** gives noise, so a hull or a '
    'triangulation built on it\ncan come out wrong. The *adaptive* predicates of this tab evaluate '
    'in floats, prove the sign with an error\nbound $|\\det| > (3 + 16\\varepsilon)\\varepsilon '
    '\\sum|\\text{terms}|$, and fall back to exact rationals only\nwhen they cannot: the exact '
    'answers at nearly float speed. An EPS does not fix it: it turns wrong signs into\n"collinear" '
    'for a whole band of points (try EPS = 1e-12 below).\n':
        '\n这个 256 × 256 网格中的每个点都与经过 q = (12, 12) 和 r = (24, 24) 的直线 y = x 相距仅最后一位的几个单位：p = (0.5 + '
        'i·2⁻⁵³, 0.5 + j·2⁻⁵³)。颜色 = $\\operatorname{orient}(p, q, r)$ 的符号：蓝色为左侧，红色为右侧，白色为共线（Kettner '
        '等，2008）。\n**精确**算术得到干净的对角线；**浮点**算术得到一片噪声，因此在它之上构建的凸包或三角剖分可能出错。本页的*自适应*谓词先用浮点计算，用误差界 $|\\det| '
        '> (3 + 16\\varepsilon)\\varepsilon \\sum|\\text{terms}|$ '
        '证明符号正确，只有在无法证明时才退回到精确有理数运算：以接近浮点的速度得到精确的答案。设置 EPS 并不能解决问题：它只是把一整条带状区域内的错误符号变成“共线”（试试下面的 EPS = '
        '1e-12）。\n',
    'everything':
        '全部',
    '\n**Convex hull in space.** Cross product $u \\times v = (u_y v_z - u_z v_y,\\ u_z v_x - u_x '
    'v_z,\\ u_x v_y - u_y v_x)$:\nnormal to both, as long as the area of their parallelogram. '
    'Triple product\n$\\operatorname{orient3d}(a, b, c, d) = \\big((b - a) \\times (c - a)\\big) '
    '\\cdot (d - a) = 6 \\cdot$ the signed volume of\ntetrahedron $abcd$: positive when $d$ is '
    'above the counter-clockwise face $abc$. Incremental hull: start from a\ntetrahedron; each new '
    'point removes the faces it sees ($\\operatorname{orient3d} > 0$, red) and joins '
    'the\n*horizon* (edges between seen and unseen faces) to itself. Volume $= \\frac16 '
    '\\sum_\\text{faces} a \\cdot (b \\times c)$.\nExact predicates (float filter, rationals when '
    'unsure). Compared with Qhull (`scipy.spatial.ConvexHull`).\n':
        '\n**空间中的凸包。** 叉积 $u \\times v = (u_y v_z - u_z v_y,\\ u_z v_x - u_x v_z,\\ u_x v_y - u_y '
        'v_x)$：与两个向量都垂直，长度等于它们所张平行四边形的面积。三重积 $\\operatorname{orient3d}(a, b, c, d) = \\big((b - a) '
        '\\times (c - a)\\big) \\cdot (d - a) = 6 \\cdot$ 四面体 $abcd$ 的有向体积：当 $d$ 位于逆时针面 $abc$ '
        '上方时为正。增量凸包：从一个四面体开始；每加入一个新点，删除它能看到的面（$\\operatorname{orient3d} > '
        '0$，红色），再把*地平线*（可见面与不可见面之间的边）与新点相连。体积 $= \\frac16 \\sum_\\text{faces} a \\cdot (b \\times '
        'c)$。使用精确谓词（浮点过滤，不确定时改用有理数）。与 Qhull（`scipy.spatial.ConvexHull`）对比。\n',
    'points':
        '点',
    'polygon':
        '多边形',
    'segments':
        '线段',
    'half-planes':
        '半平面',
    'query point':
        '查询点',
    'uniform':
        '均匀分布',
    'gaussian':
        '高斯分布',
    'on a circle':
        '圆上',
    'collinear':
        '共线',
    'with duplicates':
        '含重复点',
    'lattice':
        '格点',
    'star polygon':
        '星形多边形',
    'comb polygon':
        '梳形多边形',
    'random segments':
        '随机线段',
    'random half-planes':
        '随机半平面',
    'adaptive':
        '自适应',
    'ball':
        '球体内',
    'sphere':
        '球面上',
    'cube':
        '立方体内',
    "Convex hull — Andrew's monotone chain":
        '凸包 —— Andrew 单调链',
    'Sort by (x, y); build the lower chain left to right and the upper chain back, popping the '
    "stack's top while the last two points and the new one fail to turn "
    'left:\n\n$$\\operatorname{orient}(a,b,c) = (b-a)\\times(c-a) = '
    '(b_x-a_x)(c_y-a_y)-(b_y-a_y)(c_x-a_x) > 0.$$\n\nO(n log n). With *keep collinear points* the '
    'pop test is `< 0`, so points on hull edges stay.':
        '按 (x, y) 排序；从左到右构建下凸链，再从右往左构建上凸链；只要栈顶两点与新点不构成左转，就弹出栈顶：\n\n$$\\operatorname{orient}(a,b,c) = '
        '(b-a)\\times(c-a) = (b_x-a_x)(c_y-a_y)-(b_y-a_y)(c_x-a_x) > 0.$$\n\nO(n log '
        'n)。勾选*保留共线点*时，弹出条件改为 `< 0`，凸包边上的点会被保留。',
    'Convex hull — Graham scan':
        '凸包 —— Graham 扫描',
    'Take the lowest point as pivot, sort the rest by the angle of $p - \\text{pivot}$ (compared '
    'exactly with the cross product, ties nearest first), then scan with a stack keeping only left '
    'turns, $(b-a)\\times(c-a) > 0$. O(n log n).':
        '取最低点为基准点，其余点按 $p - \\text{pivot}$ 的极角排序（用叉积精确比较，极角相同时近者在前），然后用栈扫描，只保留左转 $(b-a)\\times(c-a) > '
        '0$。O(n log n)。',
    'Rotating calipers — diameter':
        '旋转卡壳 —— 直径',
    'On the hull, walk the edges while a second pointer moves to the vertex farthest from the '
    'current edge (the triangle area $|(b-a)\\times(c-a)|/2$ grows until it does not). The '
    'farthest pair is among these antipodal pairs: O(h) after the hull.':
        '沿凸包逐条遍历边，同时让第二个指针移动到离当前边最远的顶点（三角形面积 $|(b-a)\\times(c-a)|/2$ 增大到不再增大为止）。最远点对就在这些对踵点对之中：求出凸包后只需 '
        'O(h)。',
    'Rotating calipers — width':
        '旋转卡壳 —— 宽度',
    'Width = the narrowest slab holding every point = $\\min_{\\text{edges } ab} \\max_c '
    '\\frac{|(b-a)\\times(c-a)|}{|b-a|}$, with the antipodal vertex c found by the same rotating '
    'pointer.':
        '宽度 = 容纳所有点的最窄平行带 = $\\min_{\\text{edges } ab} \\max_c '
        '\\frac{|(b-a)\\times(c-a)|}{|b-a|}$，其中对踵顶点 c 由同样的旋转指针求得。',
    'Rotating calipers — minimum-area rectangle':
        '旋转卡壳 —— 最小面积外接矩形',
    'The smallest enclosing rectangle has a side flush with a hull edge (Freeman–Shapira). For '
    'each edge direction $u$: height = antipodal distance, length = $\\max_p u\\cdot p - \\min_p '
    'u\\cdot p$.':
        '最小外接矩形必有一条边与凸包的某条边重合（Freeman–Shapira）。对每个边方向 $u$：高 = 对踵距离，长 = $\\max_p u\\cdot p - \\min_p '
        'u\\cdot p$。',
    'Closest pair — divide and conquer':
        '平面最近点对 —— 分治',
    'Split at the median x, solve both halves, $\\delta = \\min(\\delta_L, \\delta_R)$. A closer '
    'pair crosses the split inside the strip $|x - x_{mid}| < \\delta$; sorted by y, each strip '
    'point needs comparing with at most 7 successors. $T(n) = 2T(n/2) + O(n)$ = O(n log n).':
        '按 x 的中位数分成两半，分别求解，$\\delta = \\min(\\delta_L, \\delta_R)$。更近的点对必跨越分界线，且落在带状区域 $|x - x_{mid}| '
        '< \\delta$ 内；按 y 排序后，带内每个点最多只需与后面 7 个点比较。$T(n) = 2T(n/2) + O(n)$ = O(n log n)。',
    'Minimum enclosing circle — Welzl':
        '最小圆覆盖 —— Welzl',
    'Shuffle; keep the smallest circle of the points so far. A point outside must lie on the new '
    'circle: rebuild with it fixed, then with two fixed (circle on their diameter), then three '
    '(circumcircle). Expected O(n). Circumcentre: $u = \\frac{(c_y|b|^2 - b_y|c|^2,\\; b_x|c|^2 - '
    'c_x|b|^2)}{2\\,(b\\times c)}$ with $b, c$ relative to $a$.':
        '随机打乱；维护当前已处理点的最小覆盖圆。落在圆外的点必在新圆上：先固定它重建，再固定两点（以两点为直径的圆），再固定三点（外接圆）。期望 O(n)。外心：$u = '
        '\\frac{(c_y|b|^2 - b_y|c|^2,\\; b_x|c|^2 - c_x|b|^2)}{2\\,(b\\times c)}$，其中 $b, c$ 是相对 $a$ '
        '的坐标。',
    'Delaunay triangulation — Bowyer–Watson':
        'Delaunay 三角剖分 —— Bowyer–Watson',
    'Insert points one by one; delete every triangle whose circumcircle strictly contains the new '
    'point and re-fan the hole. In-circle test:\n\n$$\\det\\begin{pmatrix} a_x-d_x & a_y-d_y & '
    '|a-d|^2\\\\ b_x-d_x & b_y-d_y & |b-d|^2\\\\ c_x-d_x & c_y-d_y & |c-d|^2\\end{pmatrix} > '
    '0.$$\n\nGhost triangles at the hull replace the usual super-triangle; predicates are exact, '
    'so lattices and circles work. For n points with h on the hull: $2n - 2 - h$ triangles.':
        '逐个插入点；删除外接圆严格包含新点的所有三角形，再把空洞与新点连成扇形。圆内测试：\n\n$$\\det\\begin{pmatrix} a_x-d_x & a_y-d_y & '
        '|a-d|^2\\\\ b_x-d_x & b_y-d_y & |b-d|^2\\\\ c_x-d_x & c_y-d_y & |c-d|^2\\end{pmatrix} > '
        '0.$$\n\n用凸包上的“幽灵三角形”代替通常的超级三角形；谓词是精确的，所以格点和共圆点都能正确处理。n 个点、其中 h 个在凸包上时：共 $2n - 2 - h$ 个三角形。',
    'Voronoi diagram (dual of Delaunay)':
        'Voronoi 图（Delaunay 的对偶）',
    "Each Delaunay triangle's circumcentre is a Voronoi vertex (equidistant from three sites); "
    "triangles sharing an edge give a Voronoi edge on that edge's perpendicular bisector $\\{x : "
    '2(q-p)\\cdot x = |q|^2 - |p|^2\\}$, hull edges give rays.':
        '每个 Delaunay 三角形的外心是一个 Voronoi 顶点（到三个站点等距）；共享一条边的两个三角形给出一条 Voronoi 边，位于该边的垂直平分线 $\\{x : '
        '2(q-p)\\cdot x = |q|^2 - |p|^2\\}$ 上；凸包边给出射线。',
    'Polygon — area, centroid, convexity, Pick':
        '多边形 —— 面积、重心、凸性、Pick 定理',
    'Shoelace: $2A = \\sum_i (x_i y_{i+1} - x_{i+1} y_i)$, positive counter-clockwise. Centroid $C '
    "= \\frac{1}{6A}\\sum_i (p_i + p_{i+1})(x_i y_{i+1} - x_{i+1} y_i)$. Pick's theorem on lattice "
    'polygons: $A = I + B/2 - 1$ with $B = \\sum \\gcd(|\\Delta x|, |\\Delta y|)$ (tick *snap to '
    'grid* to count in grid squares).':
        '鞋带公式：$2A = \\sum_i (x_i y_{i+1} - x_{i+1} y_i)$，逆时针为正。重心 $C = \\frac{1}{6A}\\sum_i (p_i + '
        'p_{i+1})(x_i y_{i+1} - x_{i+1} y_i)$。格点多边形的 Pick 定理：$A = I + B/2 - 1$，其中 $B = \\sum '
        '\\gcd(|\\Delta x|, |\\Delta y|)$（勾选*吸附到网格*即按网格方格计数）。',
    'Point in polygon — ray casting / winding':
        '点在多边形内 —— 射线法 / 环绕数',
    'Ray casting: cast a ray to the right; the point is inside when it crosses the boundary an odd '
    'number of times (edges are half-open in y, so vertices count once). Winding number: add +1 '
    'for each upward edge with q on its left, −1 for each downward edge with q on its right; '
    'non-zero = inside. An edge from $a$ to $b$ crosses the ray at $x = a_x + (q_y - '
    'a_y)\\frac{b_x - a_x}{b_y - a_y}$.':
        '射线法：向右发出一条射线；与边界相交奇数次则点在内部（边在 y 方向上取半开区间，所以顶点只计一次）。环绕数：每条向上且 q 在其左侧的边加 1，每条向下且 q 在其右侧的边减 '
        '1；非零即在内部。从 $a$ 到 $b$ 的边与射线交于 $x = a_x + (q_y - a_y)\\frac{b_x - a_x}{b_y - a_y}$。',
    'Ear-clipping triangulation':
        '耳切法三角剖分',
    'An ear is a convex vertex whose triangle with its two neighbours holds no other (reflex) '
    'vertex. Every simple polygon with n > 3 vertices has two ears (Meisters), so cutting ears one '
    'at a time gives n − 2 triangles. O(n²).':
        '“耳朵”是一个凸顶点，它与两个相邻顶点构成的三角形内不含其他（凹）顶点。每个 n > 3 的简单多边形至少有两只耳朵（Meisters），所以逐个切掉耳朵就得到 n − 2 '
        '个三角形。O(n²)。',
    'Half-plane intersection — sort + deque':
        '半平面交 —— 排序 + 双端队列',
    'Each half-plane is the left side of a directed line: $(q-p)\\times(x-p) \\ge 0$. Sort by the '
    'angle of $q - p$, push onto a deque while popping back and front lines whose corner falls '
    'outside the new one; O(m log m). The canvas border adds four half-planes, so the answer is '
    'bounded. Exact rationals.':
        '每个半平面是一条有向直线的左侧：$(q-p)\\times(x-p) \\ge 0$。按 $q - p$ '
        '的极角排序，依次压入双端队列，同时从队尾和队首弹出交点落在新半平面之外的直线；O(m log m)。画布边界额外加入四个半平面，所以结果有界。使用精确有理数。',
    'Minkowski sum — hull(points) ⊕ polygon':
        'Minkowski 和 —— 凸包(点) ⊕ 多边形',
    '$A \\oplus B = \\{a + b\\}$. For convex polygons, merge the two edge sequences by polar angle '
    'starting from both lowest vertices: O(|A| + |B|). Here A = hull of the points, B = the '
    '(convex hull of the) polygon moved so its centroid is the origin, so the sum surrounds A.':
        '$A \\oplus B = \\{a + b\\}$。对凸多边形，从两者的最低顶点出发，按极角归并两条边序列：O(|A| + |B|)。这里 A = 点集的凸包，B = '
        '多边形（的凸包）平移到重心位于原点，因此和包围着 A。',
    'Segment intersection — Shamos–Hoey (any)':
        '线段相交 —— Shamos–Hoey（是否相交）',
    'Sweep a vertical line over the endpoints, keeping the crossed segments ordered by y. '
    'Intersecting segments become neighbours before the sweep passes their leftmost common point, '
    'so only neighbours need testing: O(n log n). Segment test: '
    '$\\operatorname{orient}(c,d,a)\\cdot\\operatorname{orient}(c,d,b) < 0$ and '
    '$\\\\operatorname{orient}(a,b,c)\\\\cdot\\\\operatorname{orient}(a,b,d) < 0$, plus the '
    'collinear cases.':
        '用一条竖直扫描线扫过各端点，按 y 维护与扫描线相交的线段。相交的两条线段在扫描线经过它们最左的公共点之前一定会成为相邻线段，所以只需检测相邻线段：O(n log '
        'n)。线段相交测试：$\\operatorname{orient}(c,d,a)\\cdot\\operatorname{orient}(c,d,b) < 0$ 且 '
        '$\\\\operatorname{orient}(a,b,c)\\\\cdot\\\\operatorname{orient}(a,b,d) < 0$，另加共线的情形。',
    'Segment intersection — all pairs by sweep':
        '线段相交 —— 扫描线求所有相交对',
    'The same sweep, testing each entering segment against every segment still active (whose '
    'x-range overlaps): O(n log n + overlapping pairs); touching and overlapping pairs count.':
        '同样的扫描线，把每条新进入的线段与所有仍处于活动状态（x 范围重叠）的线段逐一检测：O(n log n + 重叠对数)；接触和重叠的线段对也计入。',
    'Segment intersection — Bentley–Ottmann (all points)':
        '线段相交 —— Bentley–Ottmann（所有交点）',
    'Sweep left to right over *events*: endpoints and the crossings found so far, in (x, y) order. '
    'The status keeps the segments the line crosses, bottom to top; only neighbours can meet next, '
    'so each change of neighbours tests one or two pairs and queues their crossing $a + t(b-a),\\ '
    't = \\frac{(c-a)\\times(d-c)}{(b-a)\\times(d-c)}$ (exact rationals) if it lies ahead. At an '
    'event p the segments starting, ending and passing through p all meet there; those continuing '
    'are re-inserted in slope order. O((n + k) log n) for k intersection points.':
        '从左到右处理*事件*：端点和已发现的交点，按 (x, y) 排序。状态结构按从下到上的顺序保存与扫描线相交的线段；只有相邻线段才可能下一次相遇，所以每次相邻关系变化只需检测一两对，若交点 '
        '$a + t(b-a),\\ t = \\frac{(c-a)\\times(d-c)}{(b-a)\\times(d-c)}$（精确有理数）在前方就将其加入事件队列。在事件点 p，以 '
        'p 为起点、终点以及经过 p 的线段都在此相交；继续延伸的线段按斜率顺序重新插入。有 k 个交点时为 O((n + k) log n)。',
    'Manhattan ↔ Chebyshev — farthest pair':
        '曼哈顿 ↔ 切比雪夫 —— 最远点对',
    'Rotating by 45° and scaling, $(x, y) \\mapsto (x + y,\\ x - y)$, turns Manhattan distance '
    'into Chebyshev distance: $|x_1-x_2| + |y_1-y_2| = \\max(|u_1-u_2|, |v_1-v_2|)$. So the '
    'farthest pair in Manhattan distance is $\\max(\\max u - \\min u,\\ \\max v - \\min v)$: O(n), '
    'no pairs compared. The canvas shows the points, their images (u, v)/2 about the centre, and '
    'the unit balls: the Manhattan diamond becomes the Chebyshev square.':
        '旋转 45° 并缩放，$(x, y) \\mapsto (x + y,\\ x - y)$，把曼哈顿距离变成切比雪夫距离：$|x_1-x_2| + |y_1-y_2| = '
        '\\max(|u_1-u_2|, |v_1-v_2|)$。所以曼哈顿距离下的最远点对距离为 $\\max(\\max u - \\min u,\\ \\max v - \\min '
        'v)$：O(n)，无需比较点对。画布显示这些点、它们关于中心的像 (u, v)/2，以及单位球：曼哈顿的菱形变成了切比雪夫的正方形。',
    'Inversion about a circle':
        '关于圆的反演',
    'Centre O = the query point, radius r = 120 px: $P \\mapsto O + r^2\\frac{P - O}{|P - O|^2}$, '
    "so $|OP|\\cdot|OP'| = r^2$. Inside and outside swap; a line through O stays itself, any other "
    'line becomes a circle through O (each segment an arc of it), and a circle through O becomes a '
    'line. Angles are kept, which makes tangency problems easy (see the Apollonius preset).':
        "反演中心 O = 查询点，半径 r = 120 px：$P \\mapsto O + r^2\\frac{P - O}{|P - O|^2}$，因此 $|OP|\\cdot|OP'| = "
        'r^2$。圆内与圆外互换；过 O 的直线映射为自身，其他直线变为过 O 的圆（每条线段变为其上的一段圆弧），过 O 的圆变为直线。反演保持角度，因此相切问题变得容易（见 '
        'Apollonius 预设）。',
    'Inversion — Apollonius circles through a point':
        '反演 —— 过一点的 Apollonius 圆',
    'Preset: two fixed circles; P = the query point (outside both). Wanted: circles through P '
    'tangent to both. Invert about P: the wanted circles pass through P, so their images are '
    '*lines* tangent to both image circles — their common tangents (up to four). Inverting the '
    'tangents back gives the circles. A circle $(c, \\rho)$ not through O maps to centre $O + s(c '
    '- O)$, radius $|s|\\rho$, $s = \\frac{r^2}{|c - O|^2 - \\rho^2}$.':
        '预设：两个固定的圆；P = 查询点（在两圆之外）。求：过 P 且与两圆都相切的圆。以 P 为中心反演：所求的圆都经过 P，因此它们的像是与两个像圆都相切的*直线* —— '
        '即它们的公切线（最多四条）。把这些切线反演回去就得到所求的圆。不过 O 的圆 $(c, \\rho)$ 映射为圆心 $O + s(c - O)$、半径 $|s|\\rho$ 的圆，其中 '
        '$s = \\frac{r^2}{|c - O|^2 - \\rho^2}$。',
}
