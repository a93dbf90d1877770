#pragma once
// Internal to core/sampling/banded: the SIMD kernels of the inertia counts (banded_inertia.cpp).
// A kernel factors H - x_l I for several shifts x_l at once, one per lane, and counts the
// negative pivots of each; an AVX2/FMA copy of each is picked at run time where the CPU has it.

#include "core/sampling/banded/banded.h"

namespace ws::core::inertia {

struct KernelArgs
{
    const BandMatrix* h = nullptr;
    const double* x = nullptr; // one shift per lane
    double* cnt = nullptr;     // negative pivots per lane
    double pivMin = 0.0;       // pivots smaller than this in magnitude are replaced by -pivMin
    double growthTol = 0.0;    // lanes whose update |l|^2/|d| exceeds this are flagged
    double* buf = nullptr;     // workspace
    // Tridiagonal kernel only: rows [begin, end) of the recurrence; `q` carries its last pivot
    // per lane from one segment to the next (and `cnt` the counts so far).
    int begin = 0, end = 0;
    double* q = nullptr;
};

using KernelFn = unsigned (*)(const KernelArgs&);

// True if this CPU runs the AVX2/FMA kernels (x86 only; checked once).
bool haveAvx2();

// Shifts per kernel call for h: as many as keep the factorization's window in L1.
int lanesFor(const BandMatrix& h);

// The kernel for h (tridiagonal, real band or complex band) with `lanes` shifts per call
// (lanesFor's), the AVX2/FMA copy if `avx`.
KernelFn pickKernel(const BandMatrix& h, int lanes, bool avx);

} // namespace ws::core::inertia
