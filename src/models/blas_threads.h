// Control of OpenBLAS's own thread pool.
#pragma once

namespace privaudit::models {

// Sets the number of threads OpenBLAS uses inside one BLAS call (openblas_set_num_threads).
// Call it with 1 before training one model per thread: a second level of BLAS threads on top of
// the model threads oversubscribes the cores and slows training several-fold. n >= 1.
void pin_blas_threads(int n);

}  // namespace privaudit::models
