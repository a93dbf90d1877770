#pragma once
// Dense matrices in LAPACK's layout, as the dense sampler, the overlaps and the weights analysis
// keep them: column-major, element (i, j) of a matrix with leading dimension ld at j ld + i, the
// index and the sizes in size_t so that N^2 never overflows an int. And LAPACK's info as an
// exception: a nonzero info there is a bug or a numerical breakdown, never an input error.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace ws::core::colmajor {

inline std::size_t at(int i, int j, int ld)
{
    return static_cast<std::size_t>(j) * static_cast<std::size_t>(ld) + static_cast<std::size_t>(i);
}

inline std::size_t sq(int n)
{
    return static_cast<std::size_t>(n) * static_cast<std::size_t>(n);
}

// Throws std::runtime_error "<who>: LAPACK <routine> failed, info = <info>" if info != 0.
inline void checkLapackInfo(int info, const char* who, const char* routine)
{
    if (info != 0)
        throw std::runtime_error(std::string(who) + ": LAPACK " + routine +
                                 " failed, info = " + std::to_string(info));
}

} // namespace ws::core::colmajor
