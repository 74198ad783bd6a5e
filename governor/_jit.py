"""The one numba decorator the package uses.

``error_model="numpy"``: a division by zero gives inf or NaN, as in NumPy, instead of a
Python exception, which lets LLVM drop a branch at every division in the right-hand side.
Non-finite states are caught by the integrators, never clipped.
``cache=True``: compiled code is cached beside the sources, so only the first run compiles.
"""

from numba import njit

jit = njit(cache=True, error_model="numpy")
