#include "dicom/dcmtk_setup.h"

#include <mutex>
#include <string>

#include "core/error.h"
#include "dcmtk/dcmdata/dcdict.h"
#include "dcmtk/dcmdata/dcrledrg.h"
#include "dcmtk/dcmjpeg/djdecode.h"
#include "dcmtk/dcmjpls/djdecode.h"
#include "dcmtk/oflog/oflog.h"

namespace privaudit::dicom {

namespace {

// Result of the one-time set-up: empty when DCMTK is ready, otherwise the reason it is not.
std::string set_up_dcmtk() {
  // 1. Silence DCMTK's logger for every DCMTK module. Its warnings and errors name elements and
  // can quote their values, and library code must not print.
  OFLog::configure(OFLogger::OFF_LOG_LEVEL);

  // 2. Decoders for the compressed transfer syntaxes. The JPEG decoder converts YCbCr to RGB when
  // the Photometric Interpretation is YBR, so colour images reach the reader as RGB.
  DcmRLEDecoderRegistration::registerCodecs();
  DJDecoderRegistration::registerCodecs();
  DJLSDecoderRegistration::registerCodecs();

  // 3. DCMTK in Debian loads its dictionary from /usr/share/libdcmtk17/dicom.dic (or $DCMDICTPATH).
  if (!dcmDataDict.isDictionaryLoaded()) {
    return "DCMTK has no DICOM data dictionary loaded: install the package that ships dicom.dic "
           "(Debian: libdcmtk17) or point DCMDICTPATH at that file.";
  }
  return {};
}

}  // namespace

void ensure_dcmtk_ready() {
  static std::once_flag once;
  static std::string failure;
  std::call_once(once, [] { failure = set_up_dcmtk(); });
  if (!failure.empty()) {
    throw IoError(failure);
  }
}

}  // namespace privaudit::dicom
