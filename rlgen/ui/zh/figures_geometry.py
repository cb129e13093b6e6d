"""Texts of the 3-D convex hull's figure (三维凸包): its steps, traces and summary."""

ZH = {
    "All points are coplanar (or collinear, or equal): the hull has no volume.": "所有点共面（或共线、或重合）：凸包没有体积。",
    "Start: a tetrahedron of four points not in one plane, faces oriented outward (orient3d(face, inside point) < 0).":
        "开始：取不共面的四个点组成四面体，各面朝外定向（orient3d(面, 内部点) < 0）。",
    "Point {name} ({count}/{total}) sees no face: it is inside the hull.": "点 {name}（{count}/{total}）看不到任何面：它在凸包内部。",
    "Point {name} ({count}/{total}) sees {seen} face(s); the horizon has {horizon} edges.":
        "点 {name}（{count}/{total}）能看到 {seen} 个面；地平线有 {horizon} 条边。",
    "Hull: {faces} triangular faces on {vertices} vertices, volume {volume}.": "凸包：{vertices} 个顶点上的 {faces} 个三角形面，体积 {volume}。",
    "hull": "凸包",
    "seen faces": "可见的面",
    "new point": "新加入的点",
}
