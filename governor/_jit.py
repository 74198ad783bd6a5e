"""The numba decorators the package uses.

``error_model="numpy"``: a division by zero gives inf or NaN, as in NumPy, instead of a
Python exception, which lets LLVM drop a branch at every division in the right-hand side.
Non-finite states are caught by the integrators, never clipped.
``cache=True``: compiled code is cached beside the sources, so only the first run compiles.

:data:`jit` is for pure functions. :data:`inlined` is for the parts of the right-hand side
(the body's rates, the beliefs, each protocol's command rule, the heat plan): numba inlines
them into :func:`governor.model.evaluate` before compiling it, so splitting the right-hand
side into parts costs no call passing the packed inputs (about a hundred flattened
arguments) or a dozen scalars each time. They remain callable from Python.
"""

from numba import njit

jit = njit(cache=True, error_model="numpy")
inlined = njit(cache=True, error_model="numpy", inline="always")
