#pragma once
// One parser/printer for the family strings of the model (docs/model.md), shared by the CLI,
// the session files and the GUI, plus model validation. Errors are reported as InputError with
// the parameter it concerns and why (param() "spikes", what() "spikes: 'power:3' needs 2 values
// (t,g), got 1").

#include "core/model/model.h"

#include <stdexcept>
#include <string>
#include <string_view>

namespace ws::core {

// Invalid user input (exit status 2 in the CLI; shown next to the control in the GUI).
// param() names what the error concerns, so that front ends place it without reading the text:
// a model parameter ("n", "sigma", "noise", "alpha", "rank", "spikes", "bulk", "eigvecs"; the
// rectangular model adds "m" and "size"), a run setting ("samples", "threads", "sampler",
// "seed"), a sweep setting ("param", "from", "to", "steps"), a session key ("model.n",
// "rect.model.spikes", "run.seed", "format", ...), a command-line option ("--n") or nothing, for
// an error about no single parameter (an unreadable file, a malformed document). message() is
// the reason. what() is "param: message", or the message alone without a param, behind the
// optional context of an enclosing error ("FILE: model.n: must be ...").
class InputError : public std::invalid_argument
{
public:
    InputError(const std::string& param, const std::string& message);
    // An error about no single parameter: param() is empty, what() the message.
    explicit InputError(const std::string& message);
    // `inner` seen from an enclosing context (e.g. the session file it came from): what() is
    // "context: inner.what()"; param() and message() are inner's.
    InputError(const std::string& context, const InputError& inner);

    const std::string& param() const noexcept { return m_param; }
    const std::string& message() const noexcept { return m_message; }
    // The context prefix given by the enclosing constructor ("" if none).
    const std::string& context() const noexcept { return m_context; }

private:
    std::string m_param, m_message, m_context;
};

// Refused because of a resource limit, e.g. the memory budget (exit status 3 in the CLI). what()
// is the message as given; it names the resource ("memory: this run needs about ..."). param()
// is the parameter whose value caused it ("n": lower N), or empty.
class ResourceError : public std::runtime_error
{
public:
    ResourceError(const std::string& param, const std::string& message);
    explicit ResourceError(const std::string& message);
    const std::string& param() const noexcept { return m_param; }

private:
    std::string m_param;
};

// The user's text as an error message quotes it: 'text', cut after 60 characters ("...'") so that
// hostile input keeps error lines short.
std::string quoteInput(std::string_view text);

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
// A family's name alone, as the parser reads it before any ':' ("student-t", "twopoint"): the
// GUI keys its family boxes by it.
std::string_view familyName(NoiseKind k);
std::string_view familyName(SpikeKind k);
std::string_view familyName(BulkKind k);

// Strict number parsing shared by every front end: the whole text must be a finite number.
double parseFiniteDouble(std::string_view text, std::string_view what);
long long parseInteger(std::string_view text, std::string_view what);
std::string formatDouble(double v); // shortest text that round-trips

// Throws InputError for any invalid value: N < 2, sigma <= 0 or not finite, alpha outside
// [0,1], rank < 1 or > N, nu <= 2, p outside (0,1], empty or malformed lists, NaN/inf anywhere,
// a bulk whose parameters make no sense (a > b, rho <= 0, p outside [0,1]).
void validate(const Model& m);

} // namespace ws::core
