#include "dicom/dicom_read_options.h"

#include <fmt/format.h>

#include "core/error.h"

namespace privaudit::dicom {

void DicomReadOptions::validate() const {
  if (max_frame_pixels < 1) {
    throw UsageError(
        fmt::format("DicomReadOptions.max_frame_pixels is {}: expected at least 1 pixel per frame.",
                    max_frame_pixels));
  }
  if (max_total_pixels < 1) {
    throw UsageError(fmt::format(
        "DicomReadOptions.max_total_pixels is {}: expected at least 1 pixel.", max_total_pixels));
  }
}

}  // namespace privaudit::dicom
