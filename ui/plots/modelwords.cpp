#include "ui/plots/modelwords.h"

#include "core/model/families.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <vector>

namespace ws::ui::words {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("words", text);
}

QString list(const std::vector<double>& v)
{
    QStringList parts;
    for (double x : v)
        parts << number(x);
    return parts.join(", ");
}

} // namespace

QString grouped(long long v)
{
    QString digits = QString::number(v < 0 ? -v : v);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(i, QChar(0x202F)); // narrow no-break space
    return v < 0 ? "−" + digits : digits;
}

QString rankText(const core::RankRule& rule, int rank)
{
    if (rule.isExplicit)
        return tr("r = %1").arg(grouped(rule.rank));
    const QString r = tr("r = ⌈N^%1⌉").arg(number(rule.alpha));
    return rank > 0 ? tr("%1 = %2").arg(r, grouped(rank)) : r;
}

QString number(double v)
{
    QString s = QString::fromStdString(core::formatDouble(v));
    if (s.startsWith('-'))
        s.replace(0, 1, QStringLiteral("−"));
    return s;
}

QString noise(const core::NoiseFamily& n, bool square)
{
    switch (n.kind) {
    case core::NoiseKind::Gaussian:
        return square ? tr("Gaussian noise (GOE)") : tr("Gaussian noise");
    case core::NoiseKind::Complex:
        return square ? tr("complex Gaussian noise (GUE)") : tr("complex Gaussian noise");
    case core::NoiseKind::Rademacher:
        return tr("Rademacher ±1 noise");
    case core::NoiseKind::Uniform:
        return tr("uniform noise");
    case core::NoiseKind::StudentT:
        return tr("Student-t noise, ν = %1").arg(number(n.param));
    case core::NoiseKind::Sparse:
        return tr("sparse noise, p = %1").arg(number(n.param));
    }
    return {};
}

QString spikes(const core::SpikeFamily& s, const core::RankRule& rule, int rank)
{
    const auto& p = s.params;
    auto at = [&p](std::size_t i) { return i < p.size() ? p[i] : 0.0; };
    if (s.kind == core::SpikeKind::List) {
        if (p.size() == 1)
            return tr("one spike θ = %1").arg(number(at(0)));
        if (p.size() <= 6)
            return tr("%1 spikes %2").arg(p.size()).arg(list(p));
        const auto [lo, hi] = std::minmax_element(p.begin(), p.end());
        return tr("%1 spikes from %2 to %3").arg(p.size()).arg(number(*lo), number(*hi));
    }
    if (rank == 1) {
        const double top = s.kind == core::SpikeKind::Linear ? at(1) : at(0);
        return tr("one spike θ = %1").arg(number(top));
    }
    return spikesWith(s, rankText(rule, rank));
}

QString spikesWith(const core::SpikeFamily& s, const QString& r)
{
    const auto& p = s.params;
    auto at = [&p](std::size_t i) { return i < p.size() ? p[i] : 0.0; };
    switch (s.kind) {
    case core::SpikeKind::Equal:
        return tr("%1 equal spikes θ = %2").arg(r, number(at(0)));
    case core::SpikeKind::Linear:
        return tr("%1 evenly spaced spikes from %2 to %3").arg(r, number(at(0)), number(at(1)));
    case core::SpikeKind::Power:
        return tr("%1 spikes θₖ = %2·k^−%3").arg(r, number(at(0)), number(at(1)));
    case core::SpikeKind::List:
        return spikes(s, {}, static_cast<int>(p.size()));
    }
    return {};
}

QString spikesOverN(const core::SpikeFamily& s, const core::RankRule& rule)
{
    if (s.kind == core::SpikeKind::List)
        return spikes(s, rule, static_cast<int>(s.params.size()));
    if (rule.isExplicit)
        return spikes(s, rule, rule.rank);
    if (rule.alpha == 0.0) // ceil(N^0) = 1 at every N
        return spikes(s, rule, 1);
    return spikesWith(s, rankText(rule, 0));
}

QString bulk(const core::BulkFamily& b)
{
    const auto& p = b.params;
    auto at = [&p](std::size_t i) { return i < p.size() ? p[i] : 0.0; };
    switch (b.kind) {
    case core::BulkKind::Zero:
        return {};
    case core::BulkKind::Uniform:
        if (at(0) == at(1))
            return tr("a constant bulk %1").arg(number(at(0)));
        return tr("a uniform bulk on [%1, %2]").arg(number(at(0)), number(at(1)));
    case core::BulkKind::Semicircle:
        return tr("a semicircle bulk of radius %1").arg(number(at(0)));
    case core::BulkKind::TwoPoint:
        return tr("a bulk at %1 (weight %2) and %3")
            .arg(number(at(0)), number(at(2)), number(at(1)));
    case core::BulkKind::List:
        if (p.size() <= 4)
            return tr("a bulk of values %1").arg(list(p));
        return tr("a bulk of %1 given values").arg(p.size());
    }
    return {};
}

namespace {

bool allZero(const std::vector<double>& v)
{
    return std::all_of(v.begin(), v.end(), [](double x) { return x == 0.0; });
}

// Whether every spike is 0 (the family's values, not its parameters: linear:0,b at rank one is b).
bool zeroSpikes(const core::SpikeFamily& s, int rank)
{
    const auto& p = s.params;
    if (p.empty())
        return false;
    switch (s.kind) {
    case core::SpikeKind::Equal:
    case core::SpikeKind::Power:
        return p[0] == 0.0;
    case core::SpikeKind::Linear:
        return p.size() == 2 && p[1] == 0.0 && (rank == 1 || p[0] == 0.0);
    case core::SpikeKind::List:
        return allZero(p);
    }
    return false;
}

bool zeroBulk(const core::BulkFamily& b)
{
    const auto& p = b.params;
    switch (b.kind) {
    case core::BulkKind::Zero:
        return true;
    case core::BulkKind::Uniform:
    case core::BulkKind::TwoPoint:
        return p.size() >= 2 && p[0] == 0.0 && p[1] == 0.0;
    case core::BulkKind::Semicircle:
        return !p.empty() && p[0] == 0.0;
    case core::BulkKind::List:
        return !p.empty() && allZero(p);
    }
    return false;
}

} // namespace

QString signal(const core::SpikeFamily& s, const core::RankRule& rule, int rank,
               const core::BulkFamily& b)
{
    // Pure noise (the first lesson step): say so rather than "one spike θ = 0".
    if (zeroSpikes(s, rank) && zeroBulk(b))
        return tr("no signal (S = 0)");
    const QString over = bulk(b);
    const QString sp = spikes(s, rule, rank);
    return over.isEmpty() ? sp : tr("%1 over %2").arg(sp, over);
}

QString size(const core::Model& m)
{
    return tr("N = %1, σ = %2, %3").arg(grouped(m.n), number(m.sigma), noise(m.noise));
}

QString noiseLevel(const core::Model& m)
{
    return tr("σ = %1, %2").arg(number(m.sigma), noise(m.noise));
}

QString model(const core::Model& m, const QString& separator)
{
    return size(m) + separator + signal(m.spikes, m.rank, core::rankOf(m), m.bulk);
}

} // namespace ws::ui::words
