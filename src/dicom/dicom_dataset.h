// Loading the data set of a DICOM file with DCMTK, with error messages that never quote header
// values.
#pragma once

#include <filesystem>
#include <memory>

class DcmDataset;

namespace privaudit::dicom {

// Reads the data set of the DICOM file at `path`. Accepts Part 10 files (preamble, "DICM" and file
// meta header) and bare data sets without them, in any transfer syntax DCMTK recognises. The
// transfer syntax of a bare data set is detected from its first element. A bare data set preceded
// by a few stray bytes (a badly cut file meta header) is also read. Large values such as Pixel
// Data are loaded from the file only when accessed, so the file must stay in place while the data
// set is used.
//
// Throws IoError when the file cannot be opened and InputError when it is truncated, damaged or
// not DICOM. Messages name the path and DCMTK's status text, never a header value.
std::unique_ptr<DcmDataset> load_dicom_dataset(const std::filesystem::path& path);

}  // namespace privaudit::dicom
