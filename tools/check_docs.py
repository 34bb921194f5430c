#!/usr/bin/env python
"""Check the docs inputs as far as a machine without Quarto allows.

1. `nbdev_proc_nbs` processes every notebook (run with a stand-in `quarto` on PATH, because
   nbdev 2 otherwise tries to download Quarto and reinstall the package with the system pip);
2. every processed notebook converts to HTML with nbconvert, and every figure in its outputs
   is present in that HTML;
3. every relative link or image in the notebooks' markdown resolves to a file or page;
4. every page in the sidebar exists, and every notebook is in the sidebar;
5. every public method of every class exported by a module notebook has a `show_doc(Class.method)` cell
   (nbdev documents exported functions and classes, not their methods);
6. every `show_doc` of a processed notebook (the notebook's own and those nbdev adds for exported names) is
   rendered on its page, as a heading naming its target: a cell that stacks several `show_doc` calls renders
   only the last one;
7. each page opens as the Quarto site's does: the front matter nbdev_proc_nbs writes (a raw `---` cell with
   title, description, output-file) is rendered as the page's title (h1) and description (a lead paragraph),
   never as raw text.

With `--html DIR` the HTML pages are kept in DIR with `manifest.json` ({page: {"title", "description", "docs": [show_doc
headings]}}), for
`tools/browser_test.py`, which opens them in a real browser.

Usage: python tools/check_docs.py [--html DIR]   (from the project root; exits non-zero on any problem)
"""
import argparse, ast, html as htmllib, json, os, re, shutil, subprocess, sys, tempfile
from pathlib import Path

import nbformat, yaml
from nbconvert import HTMLExporter
from nbconvert.filters.markdown import markdown2html

root = Path(__file__).resolve().parents[1]
nbs, proc = root/'nbs', root/'_proc'
problems = []

def run_proc_nbs():
    "Run nbdev_proc_nbs with a stand-in quarto binary on PATH."
    with tempfile.TemporaryDirectory() as d:
        stub = Path(d)/'quarto'
        stub.write_text('#!/bin/sh\nexit 0\n'); stub.chmod(0o755)
        env = {**os.environ, 'PATH': f"{d}{os.pathsep}{os.environ['PATH']}"}
        exe = Path(sys.executable).with_name('nbdev_proc_nbs')
        r = subprocess.run([str(exe)], cwd=root, env=env, capture_output=True, text=True)
    if r.returncode: problems.append(f"nbdev_proc_nbs failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")

LINK = re.compile(r'!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)')

def check_links(nb_path, nb):
    "Relative markdown links and images must resolve (pages may be named .ipynb, .html or .qmd)."
    for cell in nb.cells:
        if cell.cell_type != 'markdown': continue
        for target in LINK.findall(cell.source):
            if re.match(r'^(https?:|mailto:|#|data:)', target): continue
            path = target.split('#')[0]
            if not path: continue
            p = (nb_path.parent/path)
            stems = [p, p.with_suffix('.ipynb'), p.with_suffix('.qmd')]
            if not any(s.exists() for s in stems): problems.append(f"{nb_path.name}: link or image '{target}' does not resolve")

SHOW_DOC = re.compile(r'^\s*show_doc\(\s*([A-Za-z_][\w.]*)\s*[,)]', re.M)

def show_doc_headings(nb)->list:
    "The heading each `show_doc(target)` line of `nb` should render: the target as written (`slice_masks`, `FusionViewer.slice`)."
    return [t for c in nb.cells if c.cell_type == 'code' for t in SHOW_DOC.findall(c.source)]

HEADING = re.compile(r'<h([1-6])\b[^>]*>(.*?)</h\1>', re.S)

def page_headings(html:str)->set:
    "The text of every heading of an HTML page, without tags and anchor marks."
    return {htmllib.unescape(re.sub(r'<[^>]+>', '', h)).replace('¶', '').strip() for _, h in HEADING.findall(html)}

FRONT = re.compile(r'^\s*---\s*\n(.*?)\n---\s*$', re.S)

def front_matter(nb)->dict:
    "The front matter of a processed notebook (its first raw cell, `---` YAML `---`), or {} when it has none."
    c = nb.cells[0] if nb.cells else None
    if c is None or c.cell_type != 'raw' or not (m := FRONT.match(c.source)): return {}
    return yaml.safe_load(m.group(1)) or {}

def render_front_matter(nb)->dict:
    """Replace the front matter cell of `nb` by what Quarto shows: the title as the page's h1 and the description as a lead
    paragraph (`<div class="description lead">`, markdown inside). Returns the front matter."""
    fm = front_matter(nb)
    if not fm: return fm
    md = f"# {fm.get('title', '')}"
    if fm.get('description'):   # markdown (e.g. `code`) rendered here: markdown inside an HTML block would not be
        desc = re.sub(r'^\s*<p>(.*)</p>\s*$', r'\1', markdown2html(str(fm['description'])), flags=re.S).replace('\n', ' ')
        md += f'\n\n<p class="description lead" style="font-size:1.25em;color:#555">{desc}</p>'
    nb.cells[0] = nbformat.v4.new_markdown_cell(md, id=nb.cells[0].get('id', 'front-matter'))
    return fm

def page_text(html:str)->str:
    "The visible text of an HTML page, roughly: body without style, script and tags."
    body = html.split('<body', 1)[-1]
    body = re.sub(r'<(style|script)\b.*?</\1>', '', body, flags=re.S)
    return htmllib.unescape(re.sub(r'<[^>]+>', ' ', body))

def check_front_matter(name:str, fm:dict, html:str):
    "The page shows the title as its first h1 and the description, and no raw front matter."
    if not fm: problems.append(f"{name}: no front matter (a first markdown cell '# Title' then '> description' makes it)"); return
    heads = [htmllib.unescape(re.sub(r'<[^>]+>', '', h)).replace('¶', '').strip() for lvl, h in HEADING.findall(html) if lvl == '1']
    if not heads or heads[0] != str(fm.get('title')): problems.append(f"{name}: the page's first h1 is {heads[:1]}, expected the title {fm.get('title')!r}")
    text = page_text(html)
    if re.search(r'\boutput-file:|^\s*---\s*$', text, re.M): problems.append(f"{name}: the front matter shows as raw text on the page")
    lead = re.search(r'<p class="description lead"[^>]*>(.*?)</p>', html, re.S)
    if fm.get('description') and not (lead and re.sub(r'<[^>]+>', '', lead.group(1)).strip()):
        problems.append(f"{name}: the description is not rendered as a lead paragraph")

def self_test():
    "The front-matter check fails on a page that shows the raw front matter and passes once it is rendered."
    raw = "---\ndescription: Fuse `ct` and `mri`.\noutput-file: x.html\ntitle: X\n\n---\n\n"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_raw_cell(raw), nbformat.v4.new_markdown_cell('Text.')])
    fm, before = front_matter(nb), len(problems)
    check_front_matter('self-test', fm, HTMLExporter().from_notebook_node(nb)[0])
    caught = len(problems) - before
    del problems[before:]
    render_front_matter(nb)
    html = HTMLExporter().from_notebook_node(nb)[0]
    check_front_matter('self-test', fm, html)
    if caught == 0 or len(problems) > before or '<code>ct</code>' not in html:
        problems.append(f"check_docs self-test: the front-matter check caught {caught} problem(s) on a raw page (expected some) "
                        f"and {len(problems) - before} on the rendered one (expected none)")
        del problems[before + 1:]

IMG_SRC = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"')

def write_page(html:str, dest:Path):
    "Write a page and copy the local files its images name (e.g. `images/demo.png`) beside it, as the docs site has them."
    dest.write_text(html)
    for src in IMG_SRC.findall(html):
        if re.match(r'^(https?:|data:|/)', src): continue
        f = nbs/src
        if f.is_file(): (dest.parent/src).parent.mkdir(parents=True, exist_ok=True); shutil.copyfile(f, dest.parent/src)

def check_html(nb_path, out_dir=None):
    "The processed notebook converts to HTML, with every PNG figure of its outputs and every show_doc heading in it."
    nb = nbformat.read(nb_path, as_version=4)
    fm = render_front_matter(nb)
    pngs = [o['data']['image/png'] for c in nb.cells if c.cell_type == 'code'
            for o in c.get('outputs', []) if 'data' in o and 'image/png' in o['data']]
    try: html, _ = HTMLExporter(embed_images=True).from_notebook_node(nb, resources={'metadata': {'path': str(nb_path.parent)}})
    except Exception as e:
        problems.append(f"{nb_path.name}: nbconvert to HTML failed: {e}"); return 0, [], fm
    missing = sum(1 for p in pngs if p.strip()[:200] not in html)
    if missing: problems.append(f"{nb_path.name}: {missing} of {len(pngs)} figures missing from the HTML")
    check_front_matter(nb_path.name, fm, html)
    docs, heads = show_doc_headings(nb), page_headings(html)
    for name in sorted(set(docs) - heads): problems.append(f"{nb_path.name}: show_doc({name}) is not rendered on the page (one show_doc per cell: only a cell's last expression renders)")
    if out_dir: write_page(html, Path(out_dir)/nb_path.with_suffix('.html').name)
    return len(pngs), docs, fm

def check_sidebar():
    "Every sidebar entry exists and every notebook is listed."
    side = (nbs/'sidebar.yml').read_text()
    listed = re.findall(r'([\w.-]+\.(?:ipynb|qmd))', side)
    for f in listed:
        if not (nbs/f).exists(): problems.append(f"sidebar.yml lists {f}, which does not exist")
    for f in sorted(nbs.glob('*.ipynb')):
        if not f.name.startswith('_') and f.name not in listed: problems.append(f"{f.name} is not in sidebar.yml")

EXPORT = re.compile(r'^#\|\s*exports?\b')
SKIP_DECORATORS = ('property', 'cached_property', 'setter', 'getter', 'deleter')

def _documented_methods(cls:ast.ClassDef)->list:
    "Public methods defined in the body of `cls`: names not starting with '_' (so `forward` is in), properties left out."
    def is_property(f): return any((d.attr if isinstance(d, ast.Attribute) else getattr(d, 'id', '')) in SKIP_DECORATORS
                                   for d in f.decorator_list)
    return [f.name for f in cls.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            and not f.name.startswith('_') and not is_property(f)]

def check_method_docs(nb_path, nb):
    """Every public method (see `_documented_methods`; properties are attributes and are explained in prose instead) of
    every public class in the `#| export` cells of a `#| default_exp` notebook appears as `show_doc(Class.method)`."""
    code = [c.source for c in nb.cells if c.cell_type == 'code']
    if not any(re.search(r'^#\|\s*default_exp\b', s, re.M) for s in code): return
    shown = set(re.findall(r'show_doc\(\s*([A-Za-z_]\w*\.[A-Za-z_]\w*)\b', '\n'.join(code)))
    for src in code:
        if not EXPORT.match(src.lstrip()): continue
        try: tree = ast.parse('\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('%', '!'))))
        except SyntaxError as e:
            problems.append(f"{nb_path.name}: an export cell does not parse ({e.msg}, line {e.lineno})"); continue
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef) and not n.name.startswith('_')):
            for m in _documented_methods(cls):
                if f'{cls.name}.{m}' not in shown:
                    problems.append(f"{nb_path.name}: public method {cls.name}.{m} has no show_doc({cls.name}.{m}) cell")

def main(html_dir=None):
    self_test()
    run_proc_nbs()
    check_sidebar()
    n_pages = n_figs = n_docs = 0
    manifest = {}
    if html_dir: Path(html_dir).mkdir(parents=True, exist_ok=True)
    for f in sorted(nbs.glob('*.ipynb')):
        if f.name.startswith('_'): continue
        nb = nbformat.read(f, as_version=4)
        check_links(f, nb); check_method_docs(f, nb)
        pf = proc/f.name
        if not pf.exists(): problems.append(f"{f.name}: not produced by nbdev_proc_nbs"); continue
        figs, docs, fm = check_html(pf, html_dir)
        n_figs, n_docs, n_pages = n_figs + figs, n_docs + len(docs), n_pages + 1
        manifest[pf.with_suffix('.html').name] = {'title': fm.get('title'), 'description': fm.get('description'), 'docs': docs}
    shutil.rmtree(proc, ignore_errors=True)
    if html_dir: (Path(html_dir)/'manifest.json').write_text(json.dumps(manifest, indent=1))
    for p in problems: print(f"docs: {p}")
    print(f"docs: {n_pages} pages converted to HTML with {n_figs} figures and {n_docs} show_doc entries; {len(problems)} problem(s)")
    return 1 if problems else 0

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--html', metavar='DIR', help='keep the HTML pages and manifest.json in DIR')
    sys.exit(main(ap.parse_args().html))
