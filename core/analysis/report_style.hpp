#pragma once

namespace dp::analysis {

/// The report's inline style sheet: page layout and the classes SvgCanvas gives chart parts.
/// Kept apart from the page markup so each reads on its own; fonts are the reader's own
/// (nothing is downloaded).
inline constexpr const char* kReportCss = R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f8; color: #1f2933;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Liberation Sans", "DejaVu Sans", sans-serif; line-height: 1.45; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 24px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 28px 0 12px; padding-bottom: 4px; border-bottom: 2px solid #d9e2ec; }
.meta { margin: 0; color: #52606d; }
.banner { margin: 16px 0 0; padding: 14px 18px; border-radius: 8px; background: #fff4e5;
  border: 1px solid #f0b86e; color: #7a4a00; font-size: 16px; }
.counts { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 0; padding: 0; }
.counts div { background: #fff; border-radius: 8px; padding: 10px 16px; min-width: 150px;
  box-shadow: 0 1px 2px rgba(15, 23, 42, .08); }
.counts dt { font-size: 13px; color: #52606d; }
.counts dd { margin: 0; font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
figure { margin: 0; background: #fff; border-radius: 8px; padding: 8px 12px 10px;
  box-shadow: 0 1px 2px rgba(15, 23, 42, .08); min-width: 0; }
figure.wide { grid-column: 1 / -1; }
figcaption { font-size: 12px; color: #7b8794; margin-top: 2px; }
svg.chart { display: block; width: 100%; height: auto; }
svg .chart-title { font-size: 16px; font-weight: 600; fill: #1f2933; }
svg .axis-label { font-size: 13px; fill: #52606d; }
svg .tick, svg .legend { font-size: 12px; fill: #3e4c59; }
svg .value { font-size: 12px; fill: #323f4b; font-variant-numeric: tabular-nums; }
svg .grid { stroke: #e4e7eb; stroke-width: 1; }
svg .grid-x { stroke: #eef1f4; stroke-width: 1; }
svg .axis { stroke: #9aa5b1; stroke-width: 1; }
svg .series { fill: none; stroke-width: 2.5; stroke-linejoin: round; }
svg .marker { stroke: #1f2933; stroke-width: 2.5; }
svg .no-data { font-size: 16px; fill: #7b8794; }
svg .no-data-box { fill: #f8f9fb; stroke: #d9e2ec; stroke-dasharray: 4 4; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px;
  font-variant-numeric: tabular-nums; }
.table-wrap { grid-column: 1 / -1; overflow-x: auto; background: #fff; border-radius: 8px;
  padding: 8px 12px; box-shadow: 0 1px 2px rgba(15, 23, 42, .08); }
.table-wrap h3 { font-size: 15px; margin: 4px 0 8px; }
th, td { padding: 5px 8px; border-bottom: 1px solid #e4e7eb; text-align: left; white-space: nowrap; }
th { color: #52606d; font-weight: 600; }
td.num, th.num { text-align: right; }
td.over { color: #b42318; font-weight: 600; }
tbody tr:nth-child(even) { background: #f8f9fb; }
footer { color: #7b8794; font-size: 12px; padding: 24px 16px 32px; }
)css";

}  // namespace dp::analysis
