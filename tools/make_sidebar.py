#!/usr/bin/env python
"Write nbs/sidebar.yml: the docs pages in the reading order of the design card, grouped in sections."
from pathlib import Path
nbs = Path(__file__).resolve().parents[1]/'nbs'
SECTIONS = [('Data', ['00']), ('Network', ['01', '02']), ('Training', ['03', '04', '05']),
            ('Evaluation', ['06', '07']), ('Using it', ['08', '09', '12', '13']), ('Benchmark and reliability', ['10', '11'])]
pages = sorted(p.name for p in nbs.glob('*.ipynb') if p.name[:2].isdigit())
lines = ['website:', '  sidebar:', '    contents:', '      - index.ipynb']
for title, prefixes in SECTIONS:
    sec = [p for p in pages if p[:2] in prefixes]
    if sec: lines += [f'      - section: {title}', '        contents:'] + [f'          - {p}' for p in sec]
(nbs/'sidebar.yml').write_text('\n'.join(lines) + '\n')
print('\n'.join(lines))
