"""The forecast memo's HTML template (jinja2), kept as a string so it ships with the code.

One to two printed A4 pages: headline numbers with intervals, the fan chart, the
track record, the method and the provenance of the data. Everything is inline
(styles, the chart as a base64 PNG): the file reads offline and prints as is.
"""

from __future__ import annotations

__all__ = ["MEMO_TEMPLATE"]

MEMO_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Forecast memo 预测备忘录: inspected trade as of {{ m.as_of_text }}</title>
<style>
@page { size: A4; margin: 14mm 14mm 14mm 14mm; }
body { font-family: "Helvetica Neue", Arial, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
       font-size: 10.5pt; line-height: 1.35; color: #1a1a1a; max-width: 185mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 2mm 0; }
h2 { font-size: 12pt; margin: 5mm 0 1.5mm 0; border-bottom: 1px solid #999; }
p { margin: 1.5mm 0; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 1mm 0; }
th, td { padding: 1mm 2mm; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 1.5px solid #555; }
.banner { background: #b00020; color: #fff; font-weight: bold; padding: 2mm 3mm;
          margin: 0 0 3mm 0; letter-spacing: .03em; }
.real { background: #e8f0e8; padding: 1.5mm 3mm; margin: 0 0 3mm 0; }
.meta { color: #555; font-size: 9pt; }
.fan { width: 100%; max-height: 85mm; object-fit: contain; }
.keep { break-inside: avoid; page-break-inside: avoid; }
.small { font-size: 8.5pt; color: #444; }
</style>
</head>
<body>
{% if m.synthetic %}
<div class="banner">SYNTHETIC DATA 合成数据 — figures below come from the package's seeded
synthetic sample (seed {{ m.seed }}), not from official statistics. Do not quote them.</div>
{% else %}
<div class="real">Data: {{ m.data_label }} (user-supplied declarations, not checked against
official statistics by this package).</div>
{% endif %}
<h1>Inspected trade: where {{ m.year }} will end and what to plan for {{ m.year + 1 }}</h1>
<p class="meta">Forecast memo 预测备忘录 · as of {{ m.as_of_text }} · 亿美元 = 100 million US dollars ·
intervals {{ m.levels_text }}</p>

<h2>Headline 要点</h2>
<p>{{ m.summary_sentence }}</p>
<table class="keep">
<thead><tr><th></th>
<th>1 Jan – {{ m.as_of_short }}<br>{{ m.year }}, 亿美元</th><th>同比 %</th>
<th>{{ m.year }} full year<br>nowcast</th><th>{{ m.level_hi }} % interval</th>
<th>{{ m.year + 1 }}<br>forecast</th><th>{{ m.level_hi }} % interval</th><th>{{ m.year + 1 }}<br>vs {{ m.year }} %</th></tr></thead>
<tbody>
{% for r in m.headline_rows %}
<tr><td>{{ r.label }}</td><td>{{ r.ytd }}</td><td>{{ r.ytd_growth }}</td>
<td><b>{{ r.now_mean }}</b></td><td>{{ r.now_interval }}</td>
<td><b>{{ r.next_mean }}</b></td><td>{{ r.next_interval }}</td><td>{{ r.next_growth }}</td></tr>
{% endfor %}
</tbody></table>
<p class="small">{{ m.level_lo }} % intervals: {% for r in m.headline_rows %}{{ r.label }}
{{ m.year }} {{ r.now_interval_lo }}, {{ m.year + 1 }} {{ r.next_interval_lo }}{% if not loop.last %}; {% endif %}{% endfor %}.</p>

<div class="keep">
<h2>Fan chart 扇形图</h2>
<img class="fan" alt="fan chart of monthly inspected trade with {{ m.levels_text }} intervals"
     src="data:image/png;base64,{{ fan_png }}">
</div>

<div class="keep">
<h2>Track record 历史预测表现 (real national series)</h2>
<p>The method re-run on real data: standing at the end of {{ m.track_through }} of each year,
it forecast that full year (Y) and the next (Y+1) from China's monthly exports and imports (China Customs, real data,
{{ m.track_years }}). Lower MAPE is better; interval coverage should be close to the
nominal level.</p>
<table>
<thead><tr>{% for c in m.track_columns %}<th>{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in m.track_rows %}<tr>{% for c in row %}<td>{{ c }}</td>{% endfor %}</tr>
{% endfor %}
</tbody></table>
</div>

<h2>Method 方法</h2>
<p>{{ m.method }}</p>

<h2>Data and provenance 数据来源</h2>
<table class="small keep">
<tbody>
<tr><td>Declarations 报检数据</td><td>{{ m.data_label }}{% if m.synthetic %} — <b>SYNTHETIC</b>{% endif %}</td></tr>
{% for s in m.sources %}<tr><td>{{ s[0] }}</td><td>{{ s[1] }}</td></tr>
{% endfor %}
<tr><td>As-of date 截止日期</td><td>{{ m.as_of_text }}</td></tr>
<tr><td>Package</td><td>ciqanalysis {{ m.version }}</td></tr>
<tr><td>Seed 随机种子</td><td>{{ m.seed }}</td></tr>
</tbody></table>
</body>
</html>
"""
