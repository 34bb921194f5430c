"""Execute a notebook in place with execnb (plain PNG figures). Used by tools/run_nb.

With SKIP_SLOW=1, code cells flagged `#| slow` are not run and keep their saved outputs, except those whose source
contains one of the '|'-separated strings in RUN_SLOW; every cell that runs starts with no outputs (execnb keeps a
cell's old outputs when the new run prints nothing)."""
import os, sys
from execnb.shell import CaptureShell

def is_slow(cell):
    return any(l.strip().startswith('#|') and 'slow' in l.split() for l in cell.source.splitlines())

def preproc(cell, skip_slow=os.environ.get('SKIP_SLOW') == '1', run_slow=[s for s in os.environ.get('RUN_SLOW', '').split('|') if s]):
    "True to skip `cell`; cells that will run start with no outputs."
    if cell.cell_type != 'code': return False
    if skip_slow and is_slow(cell) and not any(s in cell.source for s in run_slow): return True
    cell.outputs = []
    return False

if __name__ == '__main__':
    CaptureShell(mpl_format='png').execute(sys.argv[1], sys.argv[1], exc_stop=True, preproc=preproc)
