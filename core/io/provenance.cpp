// Comment lines naming a data file's origin (see provenance.h).
#include "core/io/provenance.h"

#include "core/model/families.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace ws::core {

std::string signalArguments(const NoiseAndSignal& m)
{
    std::string s = "--sigma " + formatDouble(m.sigma) + " --noise " + toString(m.noise);
    s += m.rank.isExplicit ? " --rank " + std::to_string(m.rank.rank)
                           : " --alpha " + formatDouble(m.rank.alpha);
    s += " --spikes " + toString(m.spikes) + " --bulk " + toString(m.bulk) + " --eigvecs " +
         toString(m.eigvecs);
    return s;
}

std::string modelArguments(const Model& m)
{
    return "--n " + std::to_string(m.n) + " " + signalArguments(m);
}

Provenance sweepProvenance(const SweepSpec& spec, std::int64_t time)
{
    Provenance p;
    // An N sweep replaces N at every point: the base model's N (often the default) would only
    // mislead, and the command reproduces without it.
    p.model = spec.param == SweepParam::N ? signalArguments(spec.base) : modelArguments(spec.base);
    p.seed = spec.run.seed;
    p.samples = spec.run.samples;
    p.time = time;
    p.extra = "# sweep: " + toString(spec.param) + " from " + formatDouble(spec.from) + " to " +
              formatDouble(spec.to) + ", " + std::to_string(spec.steps) + " steps" +
              (spec.log ? ", geometric" : "") + (spec.rankOne ? ", rank one" : "") + "\n";
    return p;
}

std::string isoUtc(std::int64_t unixSeconds)
{
    using namespace std::chrono;
    const sys_days day{
        days{unixSeconds >= 0 ? unixSeconds / 86400 : -((-unixSeconds + 86399) / 86400)}};
    const std::int64_t rest = unixSeconds - day.time_since_epoch().count() * 86400LL;
    const year_month_day ymd{day};
    char buf[96]; // room for any int year and hour count: no truncation warning
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<long long>(rest / 3600),
                  static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60));
    return buf;
}

std::int64_t provenanceTime(const char* sourceDateEpoch)
{
    if (sourceDateEpoch && *sourceDateEpoch) {
        std::int64_t v = 0;
        const char* end = sourceDateEpoch + std::strlen(sourceDateEpoch);
        const auto r = std::from_chars(sourceDateEpoch, end, v);
        if (r.ec == std::errc() && r.ptr == end && v >= 0)
            return v;
    }
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string csvProvenance(const Provenance& p)
{
    std::string model = p.model;
    for (char& c : model)
        if (c == '\n' || c == '\r')
            c = ' ';
    std::string s = "# wignerscope " WS_VERSION "\n";
    if (!model.empty())
        s += "# model: " + model + "\n";
    if (p.seed)
        s += "# seed: " + std::to_string(*p.seed) + "\n";
    if (p.samples)
        s += "# samples: " + std::to_string(*p.samples) + "\n";
    s += "# date: " + isoUtc(p.time) + "\n";
    s += p.extra;
    return s;
}

std::string eigenvaluesCsvRows(const std::vector<int>& sample,
                               const std::vector<std::vector<double>>& values,
                               const std::vector<std::vector<std::int64_t>>* ranks)
{
    std::string s = "sample,index,value\n";
    std::size_t count = 0;
    for (const auto& v : values)
        count += v.size();
    s.reserve(s.size() + count * 32);
    for (std::size_t e = 0; e < values.size(); ++e) {
        const std::string prefix =
            std::to_string(e < sample.size() ? sample[e] : static_cast<int>(e)) + ",";
        const std::vector<std::int64_t>* r = ranks && e < ranks->size() ? &(*ranks)[e] : nullptr;
        const auto& ev = values[e];
        for (std::size_t i = 0; i < ev.size(); ++i) {
            s += prefix;
            s += std::to_string(r && i < r->size() ? (*r)[i] : static_cast<std::int64_t>(i));
            s += ',';
            s += formatDouble(ev[i]);
            s += '\n';
        }
    }
    return s;
}

} // namespace ws::core
