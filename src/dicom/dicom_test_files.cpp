#include "dicom/dicom_test_files.h"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <mutex>
#include <random>
#include <stdexcept>

#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcrleerg.h"
#include "dcmtk/dcmjpeg/djencode.h"
#include "dcmtk/dcmjpls/djencode.h"
#include "dicom/dcmtk_setup.h"

namespace privaudit::dicom::testing {

namespace {

void check(const OFCondition& status, const std::string& failure) {
  if (status.bad()) {
    throw std::runtime_error(failure + ": " + status.text());
  }
}

}  // namespace

std::filesystem::path dicom_file(std::string_view name) {
  return std::filesystem::path(PRIVAUDIT_TEST_DATA_DIR) / "dicom" / name;
}

std::filesystem::path ecg_file(std::string_view name) {
  return std::filesystem::path(PRIVAUDIT_TEST_DATA_DIR) / "ecg" / name;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read test file " + path.string());
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

DicomCopy::DicomCopy(const std::filesystem::path& source) : file_(new DcmFileFormat) {
  // Silences DCMTK's logger before the first DCMTK call of the test.
  ensure_dcmtk_ready();
  check(file_->loadFile(OFFilename(source.c_str())), "cannot load " + source.string());
  check(file_->loadAllDataIntoMemory(), "cannot load all of " + source.string());
}

DicomCopy::~DicomCopy() = default;

DcmDataset& DicomCopy::dataset() { return *file_->getDataset(); }

std::filesystem::path DicomCopy::save(const TempDir& dir, std::string_view name,
                                      E_TransferSyntax transfer_syntax) {
  const std::filesystem::path path = dir.path() / name;
  if (transfer_syntax != EXS_Unknown) {
    check(dataset().chooseRepresentation(transfer_syntax, nullptr),
          "cannot convert to " + std::string(DcmXfer(transfer_syntax).getXferName()));
  }
  check(file_->saveFile(OFFilename(path.c_str()), transfer_syntax), "cannot save " + path.string());
  return path;
}

std::filesystem::path DicomCopy::save_bare(const TempDir& dir, std::string_view name,
                                           E_TransferSyntax transfer_syntax) {
  const std::filesystem::path path = dir.path() / name;
  check(dataset().saveFile(OFFilename(path.c_str()), transfer_syntax),
        "cannot save " + path.string());
  return path;
}

void register_test_encoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    ensure_dcmtk_ready();
    DcmRLEEncoderRegistration::registerCodecs();
    DJEncoderRegistration::registerCodecs();
    DJLSEncoderRegistration::registerCodecs();
  });
}

}  // namespace privaudit::dicom::testing
