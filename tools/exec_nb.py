"""Execute a notebook in place with execnb (plain PNG figures). Used by tools/run_nb.

With SKIP_SLOW=1, code cells flagged `#| slow` are not run and keep their saved outputs; every other code cell's
outputs are cleared before it runs (execnb keeps a cell's old outputs when the new run prints nothing)."""
import os, sys
from execnb.shell import CaptureShell

def is_slow(cell):
    return any(l.strip().startswith('#|') and 'slow' in l.split() for l in cell.source.splitlines())

def preproc(cell, skip_slow=os.environ.get('SKIP_SLOW') == '1'):
    "True to skip `cell`; cells that will run start with no outputs."
    if cell.cell_type != 'code': return False
    if skip_slow and is_slow(cell): return True
    cell.outputs = []
    return False

if __name__ == '__main__':
    CaptureShell(mpl_format='png').execute(sys.argv[1], sys.argv[1], exc_stop=True, preproc=preproc)
