#pragma once
// The model in words and formulas for plot titles, never in the family syntax of the command
// line: "r = ⌈N^0.75⌉ = 178 evenly spaced spikes from 1.5 to 4", "4 spikes 5, 3, 1.8, −3.5 over a
// uniform bulk on [−2, 2]", "Gaussian noise (GOE)". Numbers in their shortest form, with a true
// minus sign.

#include "core/model/model.h"

#include <QString>

namespace ws::ui::words {

QString number(double v);
// 1234567 -> "1 234 567" (narrow no-break spaces between thousands; a true minus sign).
QString grouped(long long v);
// GOE / GUE name the symmetric (Hermitian) ensembles: a rectangular N x M noise matrix
// (`square` false) has plain iid Gaussian entries.
QString noise(const core::NoiseFamily& n, bool square = true);
// The spikes given the rank r they make (rank rule `rule` says how r came about).
QString spikes(const core::SpikeFamily& s, const core::RankRule& rule, int rank);
// The same with the rank in words of the caller ("r = ⌈N^α⌉" for a sweep over alpha); a list
// gives its own count.
QString spikesWith(const core::SpikeFamily& s, const QString& rank);
// "r = 4", or "r = ⌈N^0.5⌉" (with " = 32" if rank > 0).
QString rankText(const core::RankRule& rule, int rank);
// The spikes of a sweep over N: the rank rule while r grows with N ("r = ⌈N^0.5⌉ equal spikes
// θ = 3"), else the fixed spikes ("one spike θ = 2" for alpha = 0, "r = 4 ..." explicit).
QString spikesOverN(const core::SpikeFamily& s, const core::RankRule& rule);
// The bulk of S; empty for a zero bulk.
QString bulk(const core::BulkFamily& b);
// Spikes, then " over " the bulk, if any; "no signal (S = 0)" if every value of S is 0.
QString signal(const core::SpikeFamily& s, const core::RankRule& rule, int rank,
               const core::BulkFamily& b);
// "N = 1 000, σ = 1, Gaussian noise (GOE)" (N with thin spaces between thousands).
QString size(const core::Model& m);
// "σ = 1, Gaussian noise (GOE)": for sweeps over N.
QString noiseLevel(const core::Model& m);
// size and signal, separated by `separator`.
QString model(const core::Model& m, const QString& separator = QStringLiteral(" · "));

} // namespace ws::ui::words
