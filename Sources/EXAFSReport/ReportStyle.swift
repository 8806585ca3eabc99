// The inline style sheet of the HTML report (no external fonts or files).
import EXAFSKit
enum ReportStyle {
  /// CSS for `index.html`: cards, readable tables with tabular numbers, image grids.
  static let css = """
    :root { --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --soft: #f3f5f7; --accent: #2c5d8f; }
    * { box-sizing: border-box; }
    body { margin: 0; color: var(--ink); background: #eef1f4;
      font: 15px/1.45 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
    header { background: #22364d; color: #fff; padding: 18px 32px 14px; }
    header h1 { margin: 0 0 6px; font-size: 24px; font-weight: 600; }
    header p { margin: 2px 0; color: #d3dde8; font-size: 14px; }
    main { max-width: 1500px; margin: 0 auto; padding: 4px 24px 32px; }
    footer { text-align: center; color: var(--muted); font-size: 13px; padding: 0 0 24px; }
    a { color: var(--accent); }
    .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 20px 16px;
      margin: 18px 0; }
    .card.failed { border-left: 5px solid #c62828; }
    h2 { margin: 2px 0 8px; font-size: 20px; font-weight: 600; display: flex; align-items: baseline; gap: 10px;
      flex-wrap: wrap; overflow-wrap: anywhere; }
    h2 a.anchor { color: inherit; text-decoration: none; }
    h2 a.top { margin-left: auto; font-size: 13px; font-weight: normal; }
    h3 { margin: 18px 0 8px; font-size: 16px; font-weight: 600; }
    .muted { color: var(--muted); }
    .source { margin: -4px 0 10px; font-size: 13px; overflow-wrap: anywhere; }
    .scroll { overflow-x: auto; }
    table.data { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 14px; }
    table.data th { background: var(--soft); text-align: left; font-weight: 600; position: sticky; top: 0; }
    table.data th, table.data td { padding: 6px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
    table.data thead th { vertical-align: bottom; white-space: nowrap; }
    table.data th.num { text-align: right; }
    table.data td { overflow-wrap: break-word; }
    table.data td.num { text-align: right; white-space: nowrap; }
    table.data tbody tr:nth-child(even) { background: #fafbfc; }
    table.data tr.reference { background: #eef5fc; }
    table.compact { font-size: 13px; width: auto; }
    table.compact td, table.compact th { padding: 3px 10px; }
    .badge { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 12px; font-weight: 600; }
    .badge.good { background: #e3f3e6; color: #1e6b2f; }
    .badge.warn { background: #fff1c2; color: #7a5300; }
    .badge.bad { background: #fde2e1; color: #a31b17; }
    .badge.ref { background: #dcebfa; color: #1d4f80; }
    dl.metrics { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px; margin: 6px 0 12px; }
    dl.metrics div { background: var(--soft); border-radius: 6px; padding: 6px 10px; }
    dl.metrics dt { font-size: 12px; color: var(--muted); }
    dl.metrics dd { margin: 0; font-size: 16px; font-variant-numeric: tabular-nums; }
    .message { border-radius: 6px; padding: 8px 12px; margin: 8px 0; font-size: 14px; }
    .message ul { margin: 4px 0 0; padding-left: 20px; }
    .message.warning { background: #fff8e1; border-left: 4px solid #e0a800; }
    .message.error { background: #fdecea; border-left: 4px solid #c62828; }
    ul.notes { margin: 8px 0; padding-left: 20px; color: var(--muted); font-size: 13px; }
    .grid { display: grid; gap: 14px; margin: 8px 0; }
    .grid.one { grid-template-columns: 1fr; }
    .grid.two { grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); }
    figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px; background: #fff; }
    figure img { display: block; width: 100%; height: auto; }
    figure.pdf { padding: 18px; text-align: center; }
    figcaption { font-size: 13px; color: var(--ink); margin: 6px 2px 0; overflow-wrap: anywhere; }
    p.files { font-size: 13px; margin: 10px 0 4px; line-height: 1.9; }
    a.file { font-family: "DejaVu Sans Mono", monospace; background: var(--soft); border: 1px solid var(--line);
      border-radius: 4px; padding: 1px 6px; text-decoration: none; white-space: nowrap; }
    details { margin: 6px 0; font-size: 14px; }
    summary { cursor: pointer; color: var(--accent); }
    @media print { body { background: #fff; } .card { break-inside: avoid; border: none; } a.top { display: none; } }
    """
}
