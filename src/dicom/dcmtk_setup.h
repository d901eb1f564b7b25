// One-time process-wide set-up of DCMTK for the DICOM readers.
#pragma once

namespace privaudit::dicom {

// Prepares DCMTK once per process, on the first call from any thread. It turns DCMTK's own logger
// off, because its parser warnings go to stderr and can quote header values. It registers the
// RLE, JPEG (baseline, extended, lossless) and JPEG-LS decoders and checks that the DICOM data
// dictionary is loaded. Later calls return at once. The decoders stay registered until
// the process ends. Throws IoError when no data dictionary could be loaded, because DCMTK then
// cannot name or type any attribute.
void ensure_dcmtk_ready();

}  // namespace privaudit::dicom
