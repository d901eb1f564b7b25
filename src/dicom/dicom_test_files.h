// Test helpers: paths of the shared test files, a temporary folder, altered copies of DICOM files
// written with DCMTK, and checks on error messages.
#pragma once

#include "core/test_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "dcmtk/dcmdata/dcxfer.h"

class DcmDataset;
class DcmFileFormat;

namespace privaudit::dicom::testing {

// tests/data/dicom/<name>, the DICOM files listed in that folder's README.
std::filesystem::path dicom_file(std::string_view name);
// tests/data/ecg/<name>.
std::filesystem::path ecg_file(std::string_view name);

// The shared temporary folder and error-message check of core/test_support.h.
using privaudit::test_support::TempDir;

// Whole content of a file as bytes.
std::string read_bytes(const std::filesystem::path& path);

// A DICOM file loaded with DCMTK, to be altered and saved under a new name.
class DicomCopy {
 public:
  explicit DicomCopy(const std::filesystem::path& source);
  ~DicomCopy();
  DicomCopy(const DicomCopy&) = delete;
  DicomCopy& operator=(const DicomCopy&) = delete;

  DcmDataset& dataset();
  // Saves as a Part 10 file in `transfer_syntax` (EXS_Unknown: the source's) and returns its path.
  // Compressed syntaxes need their encoder registered with register_test_encoders().
  std::filesystem::path save(const TempDir& dir, std::string_view name,
                             E_TransferSyntax transfer_syntax = EXS_Unknown);
  // Saves the data set alone, with neither preamble nor file meta header.
  std::filesystem::path save_bare(const TempDir& dir, std::string_view name,
                                  E_TransferSyntax transfer_syntax);

 private:
  std::unique_ptr<DcmFileFormat> file_;
};

// Registers DCMTK's RLE, JPEG and JPEG-LS encoders once, for tests that write compressed copies.
void register_test_encoders();

// Runs `action` and returns the message of the `Expected` exception it throws. When it throws
// nothing or another type, adds a test failure and returns "".
template <typename Expected, typename Action>
std::string error_message(Action&& action) {
  try {
    action();
  } catch (const Expected& error) {
    return error.what();
  } catch (const std::exception& error) {
    ADD_FAILURE() << "threw a different exception type: " << error.what();
    return {};
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

// Checks that `action` throws `Expected` with a message containing every one of `fragments`. Each
// missing fragment is its own failure. Returns the message.
template <typename Expected, typename Action>
std::string expect_error(Action&& action, std::initializer_list<std::string_view> fragments) {
  const std::string message = error_message<Expected>(std::forward<Action>(action));
  for (const std::string_view fragment : fragments) {
    EXPECT_NE(message.find(fragment), std::string::npos)
        << "message lacks \"" << fragment << "\": " << message;
  }
  return message;
}

}  // namespace privaudit::dicom::testing
