#include "gzip_scan.hpp"

namespace taxi {

void scan_gzip(file_result& result, const scan_options&) { throw input_error(result.path + ": .gz not supported yet"); }

} // namespace taxi
