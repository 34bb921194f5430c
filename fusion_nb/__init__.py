__version__ = "0.1.0"
__doc__ = """fusion_nb: fuse registered CT (or PET/SPECT) and MRI images with the design's repaired wavelet network.

The user API, importable from the top level (`from fusion_nb import fuse`). The names are imported on first use, so
`import fusion_nb` stays cheap (no torch, no matplotlib) until one of them is needed."""

_API = {  # name -> the module that defines it
    'fuse': 'inference', 'fuse_folder': 'inference',
    'load_model': 'weights', 'PRETRAINED': 'weights',
    'fusion_metrics': 'metrics',
    'view': 'viewer',
    'phantom_pair': 'data', 'load_image': 'data', 'save_image': 'data',
    'show_images': 'viz', 'show_fusion': 'viz',
    'fuse_volume': 'volume_fusion', 'fuse_nifti': 'volume_fusion', 'fuse_dicom': 'volume_fusion', 'fuse_volumes': 'volume_fusion',
}
__all__ = list(_API)

def __getattr__(name):
    "Import `name` of the user API from its module on first use (PEP 562)."
    if name not in _API: raise AttributeError(f"module 'fusion_nb' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(f'{__name__}.{_API[name]}'), name)
    globals()[name] = value
    return value

def __dir__(): return sorted(set(globals()) | set(_API))
