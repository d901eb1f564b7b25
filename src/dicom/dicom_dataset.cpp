#include "dicom/dicom_dataset.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "dcmtk/dcmdata/dcdatset.h"
#include "dcmtk/dcmdata/dcerror.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcistrmb.h"
#include "dicom/dcmtk_setup.h"

namespace privaudit::dicom {

namespace {

// A Part 10 file has a 128-byte preamble followed by these four bytes.
constexpr std::size_t kPreambleSize = 128;
constexpr std::array<char, 4> kPart10Magic = {'D', 'I', 'C', 'M'};

// Stray bytes tolerated before a bare data set. A file whose file meta header was cut off by hand
// can keep the last padding byte of that header, as pydicom 2.3.1's test file no_meta.dcm does.
// More than a few such bytes means the file is not a data set at all.
constexpr std::size_t kMaxStrayBytes = 16;

// The first bytes of the file (up to `count`); the file is known to be readable.
std::vector<unsigned char> read_head(const std::filesystem::path& path, std::size_t count) {
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> head(count);
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(count));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

bool has_part10_magic(const std::vector<unsigned char>& head) {
  if (head.size() < kPreambleSize + kPart10Magic.size()) {
    return false;
  }
  return std::memcmp(head.data() + kPreambleSize, kPart10Magic.data(), kPart10Magic.size()) == 0;
}

// Parses a bare data set from `bytes` starting at `offset`; nullptr unless the whole rest of the
// buffer parses cleanly.
std::unique_ptr<DcmDataset> parse_dataset_at(const std::vector<char>& bytes, std::size_t offset) {
  DcmInputBufferStream stream;
  stream.setBuffer(bytes.data() + offset, static_cast<offile_off_t>(bytes.size() - offset));
  stream.setEos();
  auto dataset = std::make_unique<DcmDataset>();
  dataset->transferInit();
  const OFCondition status = dataset->read(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
  dataset->transferEnd();
  // A buffer stream cannot reload values later, so every value must be in memory before the
  // buffer goes away.
  if (status.bad() || dataset->card() == 0 || dataset->loadAllDataIntoMemory().bad()) {
    return nullptr;
  }
  return dataset;
}

// Retries a file that has no Part 10 header and did not parse from its first byte. It looks for a
// group 0008 element, where the data set of a composite object starts, within the first
// kMaxStrayBytes bytes and parses from there. The whole file is read into memory.
std::unique_ptr<DcmDataset> parse_after_stray_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>()};
  for (std::size_t offset = 1; offset <= kMaxStrayBytes && offset + 8 <= bytes.size(); ++offset) {
    // Group 0x0008 in little endian: 08 00. Big endian bare data sets are not retried.
    if (bytes[offset] != 0x08 || bytes[offset + 1] != 0x00) {
      continue;
    }
    if (std::unique_ptr<DcmDataset> dataset = parse_dataset_at(bytes, offset)) {
      return dataset;
    }
  }
  return nullptr;
}

// DCMTK's status text when the status is one of the fixed parse conditions of dcerror.h, whose
// texts are constants. Other statuses may carry composed text, so only their codes are shown.
std::string describe_status(const OFCondition& status) {
  static const OFConditionConst* const kFixedTexts[] = {&EC_StreamNotifyClient,
                                                        &EC_EndOfStream,
                                                        &EC_InvalidStream,
                                                        &EC_CorruptedData,
                                                        &EC_InvalidTag,
                                                        &EC_InvalidVR,
                                                        &EC_UnknownVR,
                                                        &EC_ItemEnd,
                                                        &EC_SequEnd,
                                                        &EC_PrematureSequDelimitationItem,
                                                        &EC_SequDelimitationItemMissing,
                                                        &EC_ItemDelimitationItemMissing,
                                                        &EC_SeqOrItemContentOverflow,
                                                        &EC_ElemLengthExceeds32BitField,
                                                        &EC_ElemLengthLargerThanItem,
                                                        &EC_UndefinedLengthOBOW,
                                                        &EC_PixelDataExplLengthIllegal,
                                                        &EC_UnknownTransferSyntax,
                                                        &EC_UnsupportedEncoding,
                                                        &EC_DoubledTag,
                                                        &EC_InvalidOffset,
                                                        &EC_TooManyBytesRequested,
                                                        &EC_PutbackFailed,
                                                        &EC_FileMetaInfoHeaderMissing,
                                                        &EC_IllegalCall,
                                                        &EC_InternalError};
  for (const OFConditionConst* fixed : kFixedTexts) {
    if (status == *fixed) {
      return status.text();
    }
  }
  return "status " + std::to_string(status.module()) + "/" + std::to_string(status.code());
}

[[noreturn]] void throw_parse_error(const std::filesystem::path& path, const OFCondition& status) {
  if (status == EC_StreamNotifyClient || status == EC_EndOfStream ||
      status == EC_PrematureSequDelimitationItem || status == EC_SequEnd || status == EC_ItemEnd) {
    throw InputError(path.string() +
                     ": the DICOM file is truncated or damaged, or it is not DICOM: its data end "
                     "inside an element (DCMTK: " +
                     describe_status(status) + "). Copy or export the file again from its source.");
  }
  throw InputError(path.string() +
                   ": cannot be parsed as DICOM (DCMTK: " + describe_status(status) +
                   "). Check that it is a DICOM file and that it is not damaged.");
}

}  // namespace

std::unique_ptr<DcmDataset> load_dicom_dataset(const std::filesystem::path& path) {
  ensure_dcmtk_ready();

  // 1. Operating-system failures are IoError, checked before DCMTK opens the file.
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) {
      const int error_number = errno;
      throw IoError(path.string() + ": cannot open the DICOM file: " + std::strerror(error_number) +
                    ". Check the path and its permissions.");
    }
  }
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw IoError(path.string() + ": is a folder, not a DICOM file.");
  }

  // 2. Let DCMTK detect the file meta header (or its absence) and the transfer syntax.
  DcmFileFormat file;
  const OFCondition status = file.loadFile(OFFilename(path.c_str()), EXS_Unknown, EGL_noChange,
                                           DCM_MaxReadLength, ERM_autoDetect);
  if (status.good()) {
    std::unique_ptr<DcmDataset> dataset(file.getAndRemoveDataset());
    if (dataset == nullptr || dataset->card() == 0) {
      throw InputError(path.string() +
                       ": contains no DICOM data elements; check that it is a DICOM file.");
    }
    return dataset;
  }

  // 3. A bare data set may follow a few stray bytes.
  if (!has_part10_magic(read_head(path, kPreambleSize + kPart10Magic.size()))) {
    if (std::unique_ptr<DcmDataset> dataset = parse_after_stray_bytes(path)) {
      return dataset;
    }
  }
  throw_parse_error(path, status);
}

}  // namespace privaudit::dicom
