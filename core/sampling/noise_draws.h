#pragma once
// One off-diagonal entry of each real noise family, variance 1 (docs/model.md#noise-families).
// Shared by the square (dense_sampler.cpp) and rectangular (rect_sampler.cpp) samplers, so both
// draw the same law in the same way from a stream. Internal to ws_core.

#include "core/model/model.h"
#include "core/sampling/rng.h"

#include <cmath>

namespace ws::core::draws {

struct Gaussian
{
    double operator()(Rng& r) const { return r.normal(); }
};
struct Rademacher
{
    double operator()(Rng& r) const { return (r.next() >> 63) != 0 ? 1.0 : -1.0; }
};
struct Uniform
{
    double operator()(Rng& r) const { return std::sqrt(3.0) * (2.0 * r.uniform01() - 1.0); }
};
struct StudentT
{
    // t_nu * sqrt((nu-2)/nu) with t_nu = Z / sqrt(chi2_nu / nu), chi2_nu = 2 Gamma(nu/2):
    // = Z * sqrt((nu - 2) / (2 Gamma(nu/2))).
    double nu;
    double operator()(Rng& r) const
    {
        const double z = r.normal();
        return z * std::sqrt((nu - 2.0) / (2.0 * r.gamma(0.5 * nu)));
    }
};
struct Sparse
{
    double p, scale; // scale = 1/sqrt(p): N(0, 1/p) with probability p, else 0
    double operator()(Rng& r) const
    {
        if (!(r.uniform01() < p))
            return 0.0;
        return scale * r.normal();
    }
};

// Calls fn(draw) with the draw of the real family f (one instantiation of fn per family, so the
// inner loops stay inlined). Returns false, without calling fn, for complex noise.
template <class Fn> bool visitReal(const NoiseFamily& f, Fn&& fn)
{
    switch (f.kind) {
    case NoiseKind::Gaussian:
        fn(Gaussian{});
        return true;
    case NoiseKind::Rademacher:
        fn(Rademacher{});
        return true;
    case NoiseKind::Uniform:
        fn(Uniform{});
        return true;
    case NoiseKind::StudentT:
        fn(StudentT{f.param});
        return true;
    case NoiseKind::Sparse:
        fn(Sparse{f.param, 1.0 / std::sqrt(f.param)});
        return true;
    case NoiseKind::Complex:
        break;
    }
    return false;
}

} // namespace ws::core::draws
