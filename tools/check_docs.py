#!/usr/bin/env python
"""Check the docs inputs as far as a machine without Quarto allows.

1. `nbdev_proc_nbs` processes every notebook (run with a stand-in `quarto` on PATH, because
   nbdev 2 otherwise tries to download Quarto and reinstall the package with the system pip);
2. every processed notebook converts to HTML with nbconvert, and every figure in its outputs
   is present in that HTML;
3. every relative link or image in the notebooks' markdown resolves to a file or page;
4. every page in the sidebar exists, and every notebook is in the sidebar;
5. every public method of every class exported by a module notebook has a `show_doc(Class.method)` cell
   (nbdev documents exported functions and classes, not their methods).

Usage: python tools/check_docs.py   (from the project root; exits non-zero on any problem)
"""
import ast, os, re, shutil, subprocess, sys, tempfile
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

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

def check_html(nb_path):
    "The processed notebook converts to HTML, with every PNG figure of its outputs in it."
    nb = nbformat.read(nb_path, as_version=4)
    pngs = [o['data']['image/png'] for c in nb.cells if c.cell_type == 'code'
            for o in c.get('outputs', []) if 'data' in o and 'image/png' in o['data']]
    try: html, _ = HTMLExporter(embed_images=True).from_notebook_node(nb, resources={'metadata': {'path': str(nb_path.parent)}})
    except Exception as e:
        problems.append(f"{nb_path.name}: nbconvert to HTML failed: {e}"); return 0
    missing = sum(1 for p in pngs if p.strip()[:200] not in html)
    if missing: problems.append(f"{nb_path.name}: {missing} of {len(pngs)} figures missing from the HTML")
    return len(pngs)

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

def main():
    run_proc_nbs()
    check_sidebar()
    n_pages = n_figs = 0
    for f in sorted(nbs.glob('*.ipynb')):
        if f.name.startswith('_'): continue
        nb = nbformat.read(f, as_version=4)
        check_links(f, nb); check_method_docs(f, nb)
        pf = proc/f.name
        if not pf.exists(): problems.append(f"{f.name}: not produced by nbdev_proc_nbs"); continue
        n_figs += check_html(pf); n_pages += 1
    shutil.rmtree(proc, ignore_errors=True)
    for p in problems: print(f"docs: {p}")
    print(f"docs: {n_pages} pages converted to HTML with {n_figs} figures; {len(problems)} problem(s)")
    return 1 if problems else 0

if __name__ == '__main__': sys.exit(main())
