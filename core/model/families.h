#pragma once
// One parser/printer for the family strings of DESIGN.md section 1, shared by the CLI, the
// session files and the GUI, plus model validation. Errors are reported as InputError whose
// message names the parameter and says why ("spikes: 'power:3' needs two values t,g").

#include "core/model/model.h"

#include <stdexcept>
#include <string>
#include <string_view>

namespace ws::core {

// Invalid user input (exit status 2 in the CLI; shown next to the control in the GUI).
class InputError : public std::invalid_argument
{
public:
    using std::invalid_argument::invalid_argument;
};

// Refused because of a resource limit, e.g. the memory budget (exit status 3 in the CLI).
class ResourceError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

NoiseFamily parseNoise(std::string_view text);  // gaussian | complex | rademacher | uniform |
                                                // student-t:nu | sparse:p
SpikeFamily parseSpikes(std::string_view text); // equal:t | linear:a,b | power:t,g | list:...
BulkFamily parseBulk(std::string_view text);    // zero | uniform:a,b | semicircle:rho |
                                                // twopoint:a,b,p | list:...
Eigvecs parseEigvecs(std::string_view text);    // basis | haar

// Printers give the canonical string; parse(print(x)) == x exactly (values printed with
// round-trip precision).
std::string toString(const NoiseFamily& f);
std::string toString(const SpikeFamily& f);
std::string toString(const BulkFamily& f);
std::string toString(Eigvecs e);

// Strict number parsing shared by every front end: the whole text must be a finite number.
double parseFiniteDouble(std::string_view text, std::string_view what);
long long parseInteger(std::string_view text, std::string_view what);
std::string formatDouble(double v); // shortest text that round-trips

// Throws InputError for any invalid value: N < 2, sigma <= 0 or not finite, alpha outside
// [0,1], rank < 1 or > N, nu <= 2, p outside (0,1], empty or malformed lists, NaN/inf anywhere,
// a bulk whose parameters make no sense (a > b, rho <= 0, p outside [0,1]).
void validate(const Model& m);

} // namespace ws::core
