#include "core/npy.h"

#include <fmt/format.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>

#include "core/atomic_file.h"
#include "core/error.h"

namespace privaudit {

static_assert(std::endian::native == std::endian::little,
              "privaudit writes little-endian .npy files and runs on little-endian hosts only");

namespace {
constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
// A header longer than this is not one that privaudit wrote; refuse to parse it.
constexpr std::size_t kMaxHeaderSize = 4096;

template <typename T>
constexpr NpyType type_of();
template <>
constexpr NpyType type_of<float>() { return NpyType::kFloat32; }
template <>
constexpr NpyType type_of<double>() { return NpyType::kFloat64; }
template <>
constexpr NpyType type_of<std::uint8_t>() { return NpyType::kUint8; }
template <>
constexpr NpyType type_of<std::int32_t>() { return NpyType::kInt32; }
template <>
constexpr NpyType type_of<std::int16_t>() { return NpyType::kInt16; }
}  // namespace

std::string npy_descr(NpyType type) {
  switch (type) {
    case NpyType::kFloat32: return "<f4";
    case NpyType::kFloat64: return "<f8";
    case NpyType::kUint8: return "|u1";
    case NpyType::kInt32: return "<i4";
    case NpyType::kInt16: return "<i2";
  }
  throw InternalError("unknown NpyType");
}

std::size_t npy_item_size(NpyType type) {
  switch (type) {
    case NpyType::kFloat32: return 4;
    case NpyType::kFloat64: return 8;
    case NpyType::kUint8: return 1;
    case NpyType::kInt32: return 4;
    case NpyType::kInt16: return 2;
  }
  throw InternalError("unknown NpyType");
}

std::size_t NpyArray::elements() const {
  std::size_t count = 1;
  for (std::size_t extent : shape) count *= extent;
  return count;
}

template <typename T>
std::span<const T> NpyArray::as() const {
  PRIVAUDIT_CHECK(type == type_of<T>(), "npy dtype does not match the requested element type");
  return {reinterpret_cast<const T*>(bytes.data()), bytes.size() / sizeof(T)};
}
template std::span<const float> NpyArray::as<float>() const;
template std::span<const double> NpyArray::as<double>() const;
template std::span<const std::uint8_t> NpyArray::as<std::uint8_t>() const;
template std::span<const std::int32_t> NpyArray::as<std::int32_t>() const;
template std::span<const std::int16_t> NpyArray::as<std::int16_t>() const;

void write_npy(const std::filesystem::path& path, NpyType type, std::span<const std::size_t> shape,
               std::span<const std::byte> data) {
  std::size_t elements = 1;
  std::string shape_text = "(";
  for (std::size_t extent : shape) {
    elements *= extent;
    shape_text += fmt::format("{}, ", extent);
  }
  if (shape.size() > 1) shape_text.resize(shape_text.size() - 2);
  if (shape.size() == 1) shape_text.resize(shape_text.size() - 1);  // "(n,)"
  shape_text += ")";
  PRIVAUDIT_CHECK(elements * npy_item_size(type) == data.size(),
                  fmt::format("npy data size {} does not match shape {}", data.size(), shape_text));

  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}",
                                   npy_descr(type), shape_text);
  // Pad with spaces so that magic (6) + version (2) + length (2) + header ends on a 64-byte
  // boundary, as the format specification recommends, and end with a newline.
  const std::size_t unpadded = kMagicSize + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';

  std::string prefix(kMagic, kMagicSize);
  prefix += '\x01';
  prefix += '\x00';
  prefix += static_cast<char>(header.size() & 0xFF);
  prefix += static_cast<char>((header.size() >> 8) & 0xFF);

  AtomicFile file(path);
  file.write(prefix);
  file.write(header);
  file.write(data);
  file.commit();
}

NpyArray read_npy(const std::filesystem::path& path) {
  // The data go straight from the file into the array's buffer, so a large matrix is held once.
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("cannot open '{}': {}", path.string(), std::strerror(errno)));
  std::error_code size_error;
  const std::uintmax_t file_size = std::filesystem::file_size(path, size_error);
  if (size_error) throw IoError(fmt::format("cannot read the size of '{}': {}", path.string(), size_error.message()));
  const auto fail = [&](const std::string& what) {
    return InputError(fmt::format("'{}' is not a valid .npy file written by privaudit: {}",
                                  path.string(), what));
  };
  char prefix[kMagicSize + 4];
  if (file_size < sizeof prefix || !in.read(prefix, sizeof prefix) ||
      std::memcmp(prefix, kMagic, kMagicSize) != 0) {
    throw fail("missing the NumPy magic bytes");
  }
  if (prefix[6] != '\x01') throw fail(fmt::format("format version {} is not 1", int(prefix[6])));
  const std::size_t header_size = static_cast<unsigned char>(prefix[8]) |
                                  (static_cast<std::size_t>(static_cast<unsigned char>(prefix[9])) << 8);
  if (header_size > kMaxHeaderSize || kMagicSize + 4 + header_size > file_size) {
    throw fail(fmt::format("header length {} is invalid", header_size));
  }
  std::string header(header_size, '\0');
  if (!in.read(header.data(), static_cast<std::streamsize>(header_size))) throw fail("truncated header");

  static const std::regex pattern(
      R"(^\{'descr': '([<|][a-z][0-9])', 'fortran_order': (True|False), 'shape': \(([0-9, ]*)\), \}\s*$)");
  std::smatch match;
  if (!std::regex_match(header, match, pattern)) throw fail("unexpected header '" + header + "'");
  NpyArray array;
  const std::string descr = match[1];
  bool known = false;
  for (NpyType type : {NpyType::kFloat32, NpyType::kFloat64, NpyType::kUint8, NpyType::kInt32,
                       NpyType::kInt16}) {
    if (npy_descr(type) == descr) {
      array.type = type;
      known = true;
    }
  }
  if (!known) throw fail("unsupported dtype " + descr);
  if (match[2] == "True") throw fail("Fortran order is not supported");

  const std::string shape_text = match[3];
  std::size_t position = 0;
  while (position < shape_text.size()) {
    while (position < shape_text.size() && (shape_text[position] == ' ' || shape_text[position] == ',')) {
      ++position;
    }
    if (position >= shape_text.size()) break;
    std::size_t end = position;
    while (end < shape_text.size() && shape_text[end] >= '0' && shape_text[end] <= '9') ++end;
    if (end - position > 12) throw fail("shape extent too large");
    array.shape.push_back(std::stoull(shape_text.substr(position, end - position)));
    position = end;
  }

  const std::size_t offset = kMagicSize + 4 + header_size;
  const std::size_t expected = array.elements() * npy_item_size(array.type);
  if (file_size - offset != expected) {
    throw fail(fmt::format("data has {} bytes but the shape needs {}", file_size - offset, expected));
  }
  array.bytes.resize(expected);
  if (!in.read(reinterpret_cast<char*>(array.bytes.data()), static_cast<std::streamsize>(expected))) {
    throw IoError(fmt::format("reading '{}' failed", path.string()));
  }
  return array;
}

}  // namespace privaudit
