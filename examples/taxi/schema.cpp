// Finding the needed columns by name; see schema.hpp.
#include "schema.hpp"

#include <algorithm>

namespace taxi {

std::vector<std::string> split_header(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::vector<std::string> names;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = line.find(',', start);
        names.emplace_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos) return names;
        start = comma + 1;
    }
}

std::optional<layout> find_layout(const std::vector<std::string>& names) {
    for (service kind : {service::yellow, service::rideshare}) {
        std::array<std::size_t, 3> at{};
        bool all = true;
        const auto wanted = needed_columns(kind);
        for (std::size_t c = 0; c < wanted.size(); ++c) {
            const auto found = std::find(names.begin(), names.end(), wanted[c]);
            all = all && found != names.end();
            at[c] = static_cast<std::size_t>(found - names.begin());
        }
        if (all) return layout{kind, names.size(), at[0], at[1], at[2]};
    }
    return std::nullopt;
}

} // namespace taxi
