// Colour-blind-safe colours: the Okabe-Ito palette (Okabe and Ito 2008, "Color Universal Design"),
// which stays distinguishable under the common forms of colour blindness and in greyscale print
// when paired with dashes or marks.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace privaudit::report {

inline constexpr std::string_view kBlue = "#0072B2";
inline constexpr std::string_view kVermillion = "#D55E00";
inline constexpr std::string_view kBluishGreen = "#009E73";
inline constexpr std::string_view kOrange = "#E69F00";
inline constexpr std::string_view kReddishPurple = "#CC79A7";
inline constexpr std::string_view kSkyBlue = "#56B4E9";
inline constexpr std::string_view kYellow = "#F0E442";
inline constexpr std::string_view kBlack = "#000000";
inline constexpr std::string_view kGrey = "#767676";  // not Okabe-Ito: reference lines, chance

// Series colours in order of use. Yellow comes last because it has little contrast on white.
inline constexpr std::array<std::string_view, 8> kSeriesColors = {
    kBlue, kVermillion, kBluishGreen, kOrange, kReddishPurple, kSkyBlue, kBlack, kYellow};

// Colour of the series at `index`, cycling through kSeriesColors.
inline std::string_view series_color(std::size_t index) { return kSeriesColors[index % kSeriesColors.size()]; }

}  // namespace privaudit::report
