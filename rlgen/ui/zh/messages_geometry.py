"""What the computational-geometry package (计算几何) says when an input is outside what it accepts (``InputError``
templates)."""

ZH = {
    "Intersection tests need at least 2 segments (got {n_segments}).": "相交检测至少需要 2 条线段（收到 {n_segments} 条）。",
    "No points: add some first.": "没有点：请先添加一些点。",
    "No points yet: click on the canvas in 'points' mode or load a preset ({what}).":
        "还没有点：在“点”模式下点击画布，或载入一个预设（{what}）。",
    "{what} needs at least {minimum} points (there are {n}).": "{what}至少需要 {minimum} 个点（现有 {n} 个）。",
    "Animated runs are capped at {max_points:,} points (there are {n}).": "动画演示最多支持 {max_points:,} 个点（现有 {n} 个）。",
    "{what} needs a closed polygon: in 'polygon' mode click at least 3 vertices, then click the first vertex again to "
    "close it (or load a polygon preset).":
        "{what}需要一个闭合多边形：在“多边形”模式下至少点击 3 个顶点，再点击第一个顶点将其闭合（或载入一个多边形预设）。",
    "{what} needs a simple polygon, but edges {first} and {second} cross or touch. Undo and redraw it without "
    "crossings.":
        "{what}需要简单多边形，但边 {first} 与边 {second} 相交或接触。请撤销后重画，不要让边交叉。",
    "Point in polygon needs a query point: switch to 'query point' mode and click.":
        "点在多边形内判定需要一个查询点：切换到“查询点”模式后点击画布。",
    "No half-planes yet: in 'half-planes' mode click two points per directed line (the half-plane is the left side of "
    "the arrow), or load the half-plane preset.":
        "还没有半平面：在“半平面”模式下为每条有向直线点击两个点（半平面是箭头的左侧），或载入半平面预设。",
    "{what} needs at least 2 segments: in 'segments' mode click two endpoints per segment, or load the 'random "
    "segments' preset.":
        "{what}至少需要 2 条线段：在“线段”模式下为每条线段点击两个端点，或载入“随机线段”预设。",
    "{what} needs a centre: switch to 'query point' mode and click where it should be.":
        "{what}需要一个中心：切换到“查询点”模式，在中心所在位置点击。",
    "Inversion needs something to invert: add points or segments (or load a preset).":
        "反演需要反演对象：请添加点或线段（或载入一个预设）。",
    "A point sits on the centre of inversion, which has no image: move one of them.":
        "有一个点正好位于反演中心，而反演中心没有像：请移动其中之一。",
    "The minimum enclosing circle needs at least one point.": "最小圆覆盖至少需要一个点。",
    "The closest pair needs at least 2 points (got {n_points}).": "平面最近点对至少需要 2 个点（收到 {n_points} 个）。",
    "Half-planes must be an (m, 2, 2) array of directed lines p -> q (got {shape}).":
        "半平面必须是由有向直线 p -> q 组成的 (m, 2, 2) 数组（收到 {shape}）。",
    "A half-plane has a NaN or an infinite coordinate.": "某个半平面含有 NaN 或无穷大坐标。",
    "Half-plane intersection needs at least 3 half-planes (or a bounding box).": "半平面交至少需要 3 个半平面（或一个包围盒）。",
    "The Minkowski sum needs two non-empty point sets.": "闵可夫斯基和需要两个非空点集。",
    "A half-plane's two points coincide; click two different points for its line.":
        "某个半平面的两个点重合；请为它的直线点击两个不同的点。",
    "The {name} must be an (n, 2) array of x, y pairs (got shape {shape}).":
        "{name}必须是由 x, y 坐标对组成的 (n, 2) 数组（收到形状 {shape}）。",
    "The {name} contain a NaN or an infinite coordinate.": "{name}含有 NaN 或无穷大坐标。",
    "The points contain a NaN or an infinite coordinate.": "点中含有 NaN 或无穷大坐标。",
    "Unknown cloud {shape!r}; choose ball, sphere or cube.": "未知点云 {shape!r}；请选择 ball（球体）、sphere（球面）或 cube（立方体）。",
    "Points in space must be an (n, 3) array of x, y, z (got shape {shape}).":
        "空间中的点必须是由 x, y, z 组成的 (n, 3) 数组（收到形状 {shape}）。",
    "The 3-D hull takes between 4 and {max_points_3d} points (got {n}).": "三维凸包需要 4 到 {max_points_3d} 个点（收到 {n} 个）。",
    "The centre of inversion has no image (it goes to infinity).": "反演中心没有像（它被映到无穷远）。",
    "A line needs two distinct points.": "一条直线需要两个不同的点。",
    "The inversion radius must be positive.": "反演半径必须为正。",
    "The point must lie outside both circles (inside one, no circle through it can be tangent to both in this "
    "construction).":
        "该点必须位于两个圆之外（若在某个圆内，此作图中不存在过该点且与两圆都相切的圆）。",
    "A polygon needs at least {minimum} vertices (got {n_vertices}).": "多边形至少需要 {minimum} 个顶点（收到 {n_vertices} 个）。",
    "The polygon has zero area, so its centroid is undefined.": "多边形面积为零，因此重心没有定义。",
    "Unknown method {method!r}; use 'winding' or 'ray'.": "未知方法 {method!r}；请使用 'winding'（环绕数）或 'ray'（射线法）。",
    "Pick's theorem needs integer (lattice) vertices; snap the polygon to the lattice.":
        "皮克定理需要整数（格点）顶点；请把多边形对齐到格点。",
    "Pick's theorem needs a simple polygon; this one crosses itself.": "皮克定理需要简单多边形；这个多边形自相交。",
    "The grid side must be between 2 and 512 (got {size}).": "网格边长必须在 2 到 512 之间（收到 {size}）。",
    "Unknown predicate kind {kind!r}; choose one of {predicate_kinds}.": "未知谓词类型 {kind!r}；请从 {predicate_kinds} 中选择。",
    "EPS must be a finite number >= 0 (got {eps}).": "EPS 必须是 >= 0 的有限数（收到 {eps}）。",
    "Unknown mode {mode!r}; choose one of: {modes}.": "未知模式 {mode!r}；请从以下模式中选择：{modes}。",
    "The click ({x}, {y}) lies outside the {width}×{height} canvas.": "点击位置 ({x}, {y}) 在 {width}×{height} 的画布之外。",
    "Unknown thing to clear {what!r}.": "未知的清除对象 {what!r}。",
    "Unknown preset {name!r}; choose one of: {presets}.": "未知预设 {name!r}；请从以下预设中选择：{presets}。",
    "A preset has between 1 and {max_points:,} points (got {n}).": "预设的点数必须在 1 到 {max_points:,} 之间（收到 {n}）。",
    "Segments must be an (m, 2, 2) array of endpoint pairs (got shape {shape}).":
        "线段必须是由端点对组成的 (m, 2, 2) 数组（收到形状 {shape}）。",
    "A segment has a NaN or an infinite coordinate.": "某条线段含有 NaN 或无穷大坐标。",
    "Segment {n_result} has both endpoints at {p}; a segment needs two distinct ends.":
        "线段 {n_result} 的两个端点都在 {p}；线段需要两个不同的端点。",
    "Ear clipping needs a simple polygon, but edges {i} and {j} cross or touch (or a vertex repeats). Undo the last "
    "vertices or start a new polygon.":
        "耳切法需要简单多边形，但边 {i} 与边 {j} 相交或接触（或有顶点重复）。请撤销最后几个顶点，或重新画一个多边形。",
    "The polygon has zero area (all its vertices are collinear).": "多边形面积为零（所有顶点共线）。",
    "No ear found: the polygon is not simple.": "找不到耳：该多边形不是简单多边形。",
    "The line's two points coincide; a line needs two distinct points.": "直线的两个点重合；一条直线需要两个不同的点。",
    # the algorithms the checks above name in {what}
    "The convex hull": "凸包",
    "Polygon measures": "多边形度量",
    "Point in polygon": "点在多边形内判定",
    "Inversion": "反演",
    "The Apollonius construction": "阿波罗尼奥斯作图",
    "Ear clipping": "耳切法",
    "Shamos–Hoey": "Shamos–Hoey 算法",
    "All intersections": "求全部交点",
    "Bentley–Ottmann": "Bentley–Ottmann 算法",
    "The Minkowski sum": "闵可夫斯基和",
    "The diameter": "直径（旋转卡壳）",
    "The width": "宽度（旋转卡壳）",
    "The rectangle": "最小面积外接矩形",
    "The closest pair": "平面最近点对",
    "The enclosing circle": "最小圆覆盖",
    "A triangulation": "三角剖分",
    "A Voronoi diagram": "Voronoi 图",
    "The farthest pair": "最远点对",
    # the algorithms' step captions (rlgen.geometry Step templates), and the words some of them fill in
    "lower chain": "下凸壳",
    "upper chain": "上凸壳",
    "counter-clockwise": "逆时针",
    "clockwise": "顺时针",
    "inside": "内部",
    "outside": "外部",
    "{n} distinct point(s): the hull is the points themselves.": "只有 {n} 个不同的点：凸包就是这些点本身。",
    "Pivot = lowest point; the others sorted by the angle of (p − pivot), ties nearest first.":
        "基准点 = 最低点；其余点按 (p − pivot) 的极角排序，极角相同时近者在前。",
    "orient(s[-2], s[-1], p) = {turn:+d}: not a left turn, pop ({x:.4g}, {y:.4g}).":
        "orient(s[-2], s[-1], p) = {turn:+d}：不是左转，弹出 ({x:.4g}, {y:.4g})。",
    "Push; the stack holds {n} point(s).": "入栈；栈中有 {n} 个点。",
    "Closed the hull: {n} vertices.": "凸包闭合：{n} 个顶点。",
    "Sort by x (then y); sweep left to right for the lower chain, back for the upper.":
        "按 x（再按 y）排序；从左到右扫描求下凸壳，再从右到左求上凸壳。",
    "{chain}: orient = {turn:+d}, not a left turn — pop ({x:.4g}, {y:.4g}).":
        "{chain}：orient = {turn:+d}，不是左转 —— 弹出 ({x:.4g}, {y:.4g})。",
    "{chain}: push; {n} on the stack.": "{chain}：入栈；栈中有 {n} 个点。",
    "Lower + upper chain = the hull: {n} vertices.": "下凸壳 + 上凸壳 = 凸包：{n} 个顶点。",
    "One distinct point: diameter 0.": "只有一个不同的点：直径为 0。",
    "Two distinct points: diameter {d:.4g}.": "只有两个不同的点：直径为 {d:.4g}。",
    "Edge {i}: antipodal vertex {j}; best diameter so far {best:.4g}.":
        "边 {i}：对踵点为顶点 {j}；目前求得的直径 {best:.4g}。",
    "Diameter = {d:.6g}.": "直径 = {d:.6g}。",
    "The hull is a point or a segment: width 0.": "凸包是一个点或一条线段：宽度为 0。",
    "Edge {i}: distance to antipodal vertex {j} = {height:.4g}; narrowest so far {best:.4g}.":
        "边 {i}：到对踵点（顶点 {j}）的距离 = {height:.4g}；目前最窄 {best:.4g}。",
    "Width = {w:.6g}: the narrowest slab that holds the points.": "宽度 = {w:.6g}：容纳所有点的最窄平行带。",
    "The hull is a point or a segment: the rectangle has zero area.": "凸包是一个点或一条线段：外接矩形面积为零。",
    "Edge {i}: flush rectangle area {area:.4g}; smallest so far {best:.4g}.":
        "边 {i}：一边与该边重合的外接矩形面积 {area:.4g}；目前最小 {best:.4g}。",
    "Minimum-area bounding rectangle: area {area:.6g}.": "最小面积外接矩形：面积 {area:.6g}。",
    "Base case of {n} points by brute force; δ = {delta:.4g}.": "递归边界：{n} 个点，暴力求解；δ = {delta:.4g}。",
    "Merge {n} points at x = {x:.4g}: {strip} in the strip |x − x_mid| < δ, each checked against ≤ 7 neighbours by "
    "y; δ = {delta:.4g}.":
        "在 x = {x:.4g} 处合并 {n} 个点：带状区域 |x − x_mid| < δ 内有 {strip} 个点，按 y 排序后每个点至多与 7 个相邻点"
        "比较；δ = {delta:.4g}。",
    "Closest pair: points {i} and {j}, distance {d:.6g}.": "最近点对：点 {i} 与点 {j}，距离 {d:.6g}。",
    "Point {i} lies outside: it must be on the boundary; restart with it alone.":
        "点 {i} 在圆外：它必在最小覆盖圆的边界上；以它单独为圆重新开始。",
    "Point {j} outside: circle on the diameter p{i} p{j}, r = {r:.4g}.":
        "点 {j} 在圆外：以 p{i} p{j} 为直径作圆，r = {r:.4g}。",
    "Point {k} outside: circle through p{i}, p{j}, p{k}, r = {r:.4g}.":
        "点 {k} 在圆外：作过 p{i}、p{j}、p{k} 的圆，r = {r:.4g}。",
    "Minimum enclosing circle: centre ({x:.5g}, {y:.5g}), radius {r:.6g}.":
        "最小覆盖圆：圆心 ({x:.5g}, {y:.5g})，半径 {r:.6g}。",
    "{n} point(s): no triangle can be formed.": "只有 {n} 个点：无法构成三角形。",
    "All points are collinear (or equal): a Delaunay triangulation has no triangles.":
        "所有点共线（或重合）：Delaunay 三角剖分中没有三角形。",
    "Start from a first triangle of three non-collinear points; hull edges get ghost triangles.":
        "从三个不共线的点构成的第一个三角形开始；凸包的每条边外挂一个幽灵三角形。",
    "Insert point {i} ({count}/{n}): {cavity} triangle(s) have it inside their circumcircle (ghosts included); "
    "re-fan the cavity with {created} new ones.":
        "插入点 {i}（{count}/{n}）：有 {cavity} 个三角形的外接圆包含它（含幽灵三角形）；用 {created} 个新三角形以扇形"
        "重新填满这个空腔。",
    "Delaunay triangulation: {n} triangles.": "Delaunay 三角剖分：{n} 个三角形。",
    "Delaunay triangulation: {n} triangles ({duplicates} duplicate point(s) skipped).":
        "Delaunay 三角剖分：{n} 个三角形（跳过了 {duplicates} 个重复点）。",
    "No triangles, so no Voronoi vertices: the cells are slabs between parallel bisectors.":
        "没有三角形，因此没有 Voronoi 顶点：各个单元是平行的中垂线之间的带状区域。",
    "Voronoi diagram: {vertices} vertices (circumcentres), {edges} edges, {rays} rays.":
        "Voronoi 图：{vertices} 个顶点（外接圆圆心），{edges} 条边，{rays} 条射线。",
    "Shoelace term {i}: x_i·y_(i+1) − x_(i+1)·y_i = {term:.6g}; running 2A = {total:.6g}.":
        "鞋带公式第 {i} 项：x_i·y_(i+1) − x_(i+1)·y_i = {term:.6g}；累计 2A = {total:.6g}。",
    "Signed area = {area:.6g} ({orientation}).": "有向面积 = {area:.6g}（{orientation}）。",
    "q lies on edge {i}: on the boundary.": "q 在边 {i} 上：位于多边形边界上。",
    "Edge {i} crosses the ray at x = {x:.4g}: {crossings} crossing(s) so far.":
        "边 {i} 与射线交于 x = {x:.4g}：目前共 {crossings} 个交点。",
    "Edge {i} does not cross the ray.": "边 {i} 与射线不相交。",
    "Edge {i}: winding number so far {w}.": "边 {i}：目前的回转数为 {w}。",
    "q is {side}: {crossings} crossings (odd = inside).": "q 在多边形{side}：{crossings} 个交点（奇数 = 在内部）。",
    "q is {side}: winding number {w}.": "q 在多边形{side}：回转数为 {w}。",
    "Vertex {b} lies on the segment between its neighbours: drop it (no area).":
        "顶点 {b} 位于两个相邻顶点之间的线段上：删去它（面积为零）。",
    "Vertex {b} is an ear (convex, no reflex vertex inside): cut triangle ({a}, {b}, {c}); {left} vertices left.":
        "顶点 {b} 是一个耳（凸顶点，且内部没有凹顶点）：切下三角形 ({a}, {b}, {c})；剩余 {left} 个顶点。",
    "Done: {triangles} triangles (n − 2 for n = {n} non-degenerate vertices).":
        "完成：{triangles} 个三角形（n = {n} 个非退化顶点时为 n − 2 个）。",
    "Add the half-plane at angle {angle:.1f}°; the deque holds {n}.":
        "加入极角为 {angle:.1f}° 的半平面；双端队列中有 {n} 个半平面。",
    "Two opposite half-planes leave nothing between them: the intersection is empty.":
        "两个方向相反的半平面之间没有公共部分：半平面交为空。",
    "Fewer than three half-planes survive: the intersection is empty.": "剩下的半平面不足三个：半平面交为空。",
    "The half-planes meet in a point or a segment only: zero area.": "这些半平面只交于一点或一条线段：面积为零。",
    "Intersection: a convex polygon with {n} vertices, area {area:.6g}.":
        "半平面交：一个有 {n} 个顶点的凸多边形，面积 {area:.6g}。",
    "Next edge by polar angle comes from {source}.": "按极角顺序，下一条边来自 {source}。",
    "A ⊕ B: {n} vertices (at most |A| + |B| = {most}).": "A ⊕ B：{n} 个顶点（至多 |A| + |B| = {most} 个）。",
    "Segments {i} and {j} are neighbours on the sweep line and intersect.":
        "线段 {i} 与线段 {j} 在扫描线上相邻，并且相交。",
    "x = {x:.4g}: segment {k} enters at position {pos} of {n}; test its neighbours.":
        "x = {x:.4g}：线段 {k} 进入扫描线，位于 {n} 条中的第 {pos} 位；检测它与相邻线段是否相交。",
    "x = {x:.4g}: segment {k} leaves; its former neighbours become adjacent.":
        "x = {x:.4g}：线段 {k} 离开扫描线；它原来的上下两条相邻线段变为相邻。",
    "The sweep passed every endpoint: no two segments intersect.": "扫描线经过了所有端点：没有任何两条线段相交。",
    "x = {x:.4g}: segment {k} enters, tested against {active} active: {hits} new intersection(s), {pairs} in all.":
        "x = {x:.4g}：线段 {k} 进入扫描线，与 {active} 条活动线段逐一检测：新增 {hits} 个交点，累计 {pairs} 个。",
    "{pairs} intersecting pair(s).": "共 {pairs} 对相交线段。",
    "Event ({x:.4g}, {y:.4g}): {start} start, {end} end, {through} pass through; status holds {status}; {found} "
    "intersection point(s) so far.":
        "事件点 ({x:.4g}, {y:.4g})：{start} 条线段从此开始，{end} 条在此结束，{through} 条从中穿过；扫描线上有 {status} "
        "条线段；目前共 {found} 个交点。",
    "{found} intersection point(s), {pairs} segment pair(s) meeting there.":
        "共 {found} 个交点，{pairs} 对线段在这些点相交。",
    "Circle of inversion: centre ({x:.4g}, {y:.4g}), radius {r:.4g}; P ↦ O + r²(P − O)/|P − O|².":
        "反演圆：圆心 ({x:.4g}, {y:.4g})，半径 {r:.4g}；P ↦ O + r²(P − O)/|P − O|²。",
    "{n} point(s): each image on the same ray, |OP|·|OP'| = r² (inside ↔ outside).":
        "{n} 个点：每个点的反演点都在同一条射线上，|OP|·|OP'| = r²（圆内 ↔ 圆外）。",
    "{n} segment(s): {through} on lines through O stay on their lines; the others' lines become circles through O "
    "(thin), each segment an arc of its circle.":
        "{n} 条线段：其中 {through} 条所在直线过 O，反演后仍在原直线上；其余线段所在的直线变为过 O 的圆（细线），"
        "每条线段变为其圆上的一段弧。",
    "Wanted: circles through P tangent to both blue circles.": "目标：求过 P 且与两个蓝色圆都相切的圆。",
    "Invert about P: the two circles become the purple circles; a circle through P would become a line.":
        "以 P 为反演中心：两个圆变为紫色的圆；过 P 的圆则会变为直线。",
    "Tangency survives inversion, so the wanted circles' images are the {n} common tangents of the purple circles.":
        "反演保持相切，所以所求圆的像就是两个紫色圆的 {n} 条公切线。",
    "Invert the tangents back: {n} circle(s) through P tangent to both circles.":
        "把公切线反演回去：得到 {n} 个过 P 且与两圆都相切的圆。",
    "Map each point to (u, v) = (x + y, x − y) (drawn at half scale about the centre): a 45° rotation times √2. "
    "Manhattan distance between points = Chebyshev distance between images.":
        "把每个点映射为 (u, v) = (x + y, x − y)（绕中心按一半比例绘制）：即旋转 45° 再放大 √2 倍。点之间的曼哈顿距离 = "
        "像之间的切比雪夫距离。",
    "max u − min u = {du:.6g}, max v − min v = {dv:.6g}: the larger is the Manhattan diameter; its extremes are points "
    "{lo} and {hi}.":
        "max u − min u = {du:.6g}，max v − min v = {dv:.6g}：较大者即曼哈顿直径；取到极值的是点 {lo} 和点 {hi}。",
    "Farthest pair in Manhattan distance: {i} and {j}, |Δx| + |Δy| = {d:.6g}. Every point lies in the diamond (the "
    "Manhattan ball) of that radius around either end.":
        "曼哈顿距离下的最远点对：{i} 和 {j}，|Δx| + |Δy| = {d:.6g}。所有点都落在以任一端点为中心、以此为半径的菱形"
        "（曼哈顿距离下的球）内。",
}
