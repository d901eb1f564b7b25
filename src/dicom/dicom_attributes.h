// Typed reads of DICOM attributes whose error messages name the file and the attribute but never
// quote the attribute's value, because header values can identify the patient.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "dcmtk/dcmdata/dctagkey.h"

class DcmItem;
class DcmSequenceOfItems;

namespace privaudit::dicom {

// Formats a tag for messages as its data dictionary keyword and number, e.g. "Rows (0028,0010)".
std::string describe_tag(const DcmTagKey& tag);

// Reads attributes of one data set or sequence item. `path` names the file in every message.
// `context` (e.g. "WaveformSequence (5400,0100) item 0") names where in the file the item is, and
// is empty for the top-level data set. The item and path must outlive the reader.
class AttributeReader {
 public:
  AttributeReader(DcmItem& item, const std::filesystem::path& path, std::string context = {});

  DcmItem& item() const { return item_; }
  const std::filesystem::path& path() const { return path_; }
  const std::string& context() const { return context_; }

  // Each find_* returns nullopt when the attribute is absent or has an empty value and throws
  // InputError when it is present but cannot be read as the requested type. Each require_*
  // throws InputError when the attribute is absent, empty or of the wrong type.
  std::optional<std::uint16_t> find_uint16(const DcmTagKey& tag) const;
  std::uint16_t require_uint16(const DcmTagKey& tag) const;
  std::uint32_t require_uint32(const DcmTagKey& tag) const;
  // Integer String (IS) value.
  std::optional<std::int64_t> find_integer_string(const DcmTagKey& tag) const;
  // Decimal String (DS) or floating-point (FL, FD) value; a value that is not a finite number is
  // an error.
  std::optional<double> find_decimal(const DcmTagKey& tag) const;
  double require_decimal(const DcmTagKey& tag) const;
  // First value of a string attribute, trimmed of padding. The caller must not put it in a
  // message unless it checked it against a fixed list of defined terms.
  std::optional<std::string> find_string(const DcmTagKey& tag) const;
  std::string require_string(const DcmTagKey& tag) const;
  // Sequence attribute; nullptr when absent.
  DcmSequenceOfItems* find_sequence(const DcmTagKey& tag) const;
  DcmSequenceOfItems& require_sequence(const DcmTagKey& tag) const;
  // Reader of item `index` (counting from 0) of a sequence, whose messages name the item; nullopt
  // when the sequence is absent or shorter. require_item throws InputError instead.
  std::optional<AttributeReader> find_item(const DcmTagKey& sequence_tag, std::size_t index) const;
  AttributeReader require_item(const DcmTagKey& sequence_tag, std::size_t index) const;

  // Throws InputError "<path>: <context>: <message>" (the context part only when not empty).
  [[noreturn]] void fail(const std::string& message) const;

 private:
  DcmItem& item_;
  const std::filesystem::path& path_;
  std::string context_;
};

}  // namespace privaudit::dicom
