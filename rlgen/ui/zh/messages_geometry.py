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
}
