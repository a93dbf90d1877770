#pragma once
// Internal to ws_core: one task of the real bulge chasing (bulge_chase.cpp), the work of LAPACK's
// dsb2st_kernels (UPLO = 'L', no eigenvectors) on the working band `a` (lower band with room for
// the bulge, lda = 2 kd + 1, element (i, j) at (i - j) + j lda). `type` 1, 2 or 3 and the 1-based
// columns st..ed as dsytrd_sb2st numbers them; the task's reflector is read from / written to
// v[st..] and tau[st] (type 2 also writes the next task's at v[ed + 1..], tau[ed + 1]); work holds
// kd + 1 doubles. Same operations as LAPACK's kernel, not the same rounding: the chase agrees
// with dsytrd_sb2st to rounding, and is bit-identical to itself for any order of the tasks that
// respects their dependencies (tst_dense_solver). chase_kernels.cpp.

namespace ws::core::dense {

using ChaseTaskFn = void (*)(int type, int st, int ed, int n, int kd, double* a, int lda, double* v,
                             double* tau, double* work);

// The AVX2 copy where the CPU has it, else (or with `portable`, a test hook) the SSE2 one; both
// give the same bits.
ChaseTaskFn pickChaseTask(bool portable = false);

} // namespace ws::core::dense
