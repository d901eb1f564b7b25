#include "models/blas_threads.h"

#include <cblas.h>
#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::models {

void pin_blas_threads(int n) {
  if (n < 1) {
    throw UsageError(fmt::format("invalid BLAS thread count {}: expected at least 1", n));
  }
  openblas_set_num_threads(n);
}

}  // namespace privaudit::models
