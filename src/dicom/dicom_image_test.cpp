#include "dicom/dicom_image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <thread>
#include <tuple>
#include <vector>

#include "core/error.h"
#include "dcmtk/dcmdata/dcdatset.h"
#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcelem.h"
#include "dcmtk/dcmdata/dcitem.h"
#include "dcmtk/dcmjpeg/djrplol.h"
#include "dicom/dicom_test_files.h"

namespace privaudit::dicom {
namespace {

using testing::dicom_file;
using testing::DicomCopy;
using testing::expect_error;
using testing::TempDir;

double sum_of(const image::Image& image) {
  return std::accumulate(image.values.begin(), image.values.end(), 0.0);
}

void expect_same_image(const image::Image& actual, const image::Image& expected) {
  ASSERT_EQ(actual.channels, expected.channels);
  ASSERT_EQ(actual.height, expected.height);
  ASSERT_EQ(actual.width, expected.width);
  EXPECT_EQ(actual.values, expected.values);
}

// Stored values of CT_small.dcm: HU + 1024 (Rescale Intercept -1024, slope 1).
std::vector<Sint16> ct_stored_values() {
  const image::Image hu = read_dicom_image(dicom_file("CT_small.dcm"));
  std::vector<Sint16> stored(hu.values.size());
  for (std::size_t i = 0; i < stored.size(); ++i) {
    stored[i] = static_cast<Sint16>(std::lround(hu.values[i] + 1024.0f));
  }
  return stored;
}

// Reference values below come from pydicom 2.3.1 with numpy 1.24.2 under Debian 12's
// /usr/bin/python3: ds.pixel_array * ds.RescaleSlope + ds.RescaleIntercept.
TEST(DicomImage, CtSmallHounsfieldUnits) {
  const image::Image image = read_dicom_image(dicom_file("CT_small.dcm"));
  ASSERT_EQ(image.channels, 1u);
  ASSERT_EQ(image.height, 128u);
  ASSERT_EQ(image.width, 128u);
  ASSERT_EQ(image.values.size(), 128u * 128u);
  EXPECT_EQ(image.at(0, 0, 0), -849.0f);
  EXPECT_EQ(image.at(0, 0, 1), -844.0f);
  EXPECT_EQ(image.at(0, 10, 20), -839.0f);
  EXPECT_EQ(image.at(0, 64, 64), 904.0f);
  EXPECT_EQ(image.at(0, 127, 127), -115.0f);
  EXPECT_EQ(image.at(0, 100, 30), 65.0f);
  EXPECT_EQ(*std::min_element(image.values.begin(), image.values.end()), -896.0f);
  EXPECT_EQ(*std::max_element(image.values.begin(), image.values.end()), 1167.0f);
  EXPECT_EQ(sum_of(image), -1950906.0);
}

TEST(DicomImage, MrSmallPinnedValues) {
  const image::Image image = read_dicom_image(dicom_file("MR_small.dcm"));
  ASSERT_EQ(image.channels, 1u);
  ASSERT_EQ(image.height, 64u);
  ASSERT_EQ(image.width, 64u);
  EXPECT_EQ(image.at(0, 0, 0), 905.0f);
  EXPECT_EQ(image.at(0, 31, 31), 206.0f);
  EXPECT_EQ(image.at(0, 63, 63), 862.0f);
  EXPECT_EQ(*std::min_element(image.values.begin(), image.values.end()), 127.0f);
  EXPECT_EQ(*std::max_element(image.values.begin(), image.values.end()), 2145.0f);
  EXPECT_EQ(sum_of(image), 2125338.0);
}

TEST(DicomImage, MrTransferSyntaxesAgree) {
  const image::Image reference = read_dicom_image(dicom_file("MR_small.dcm"));
  for (const char* name : {"MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm"}) {
    SCOPED_TRACE(name);
    expect_same_image(read_dicom_image(dicom_file(name)), reference);
  }
}

TEST(DicomImage, LosslessCodecsRoundTrip) {
  testing::register_test_encoders();
  const image::Image reference = read_dicom_image(dicom_file("MR_small.dcm"));
  const TempDir dir;
  {
    DicomCopy copy(dicom_file("MR_small.dcm"));
    const DJ_RPLossless lossless;  // JPEG lossless, process 14, first-order prediction
    ASSERT_TRUE(copy.dataset().chooseRepresentation(EXS_JPEGProcess14SV1, &lossless).good());
    const auto path = copy.save(dir, "jpeg_lossless.dcm", EXS_JPEGProcess14SV1);
    expect_same_image(read_dicom_image(path), reference);
  }
  {
    DicomCopy copy(dicom_file("MR_small.dcm"));
    const auto path = copy.save(dir, "jpeg_ls.dcm", EXS_JPEGLSLossless);
    expect_same_image(read_dicom_image(path), reference);
  }
}

// pydicom 2.3.1 cannot decode this 12-bit JPEG (its Pillow handler takes 8 bits only). The
// reference is pydicom 2.3.1 with the GDCM 3.0.21 handler (Debian python3-gdcm); (420, 140) = 244
// and (230, 120) = 95 are also the values pydicom's own tests pin for this file.
TEST(DicomImage, JpegLossyTwelveBit) {
  const image::Image image = read_dicom_image(dicom_file("JPEG-lossy.dcm"));
  ASSERT_EQ(image.channels, 1u);
  ASSERT_EQ(image.height, 1024u);
  ASSERT_EQ(image.width, 256u);
  // Lossy decoders may round the inverse DCT differently by one level.
  EXPECT_NEAR(image.at(0, 420, 140), 244.0f, 1.0f);
  EXPECT_NEAR(image.at(0, 230, 120), 95.0f, 1.0f);
  EXPECT_NEAR(image.at(0, 512, 128), 14.0f, 1.0f);
  EXPECT_NEAR(image.at(0, 300, 100), 36.0f, 1.0f);
  EXPECT_NEAR(sum_of(image) / static_cast<double>(image.size()), 3767007.0 / (1024 * 256), 0.05);
  EXPECT_GE(*std::min_element(image.values.begin(), image.values.end()), 0.0f);
  EXPECT_LE(*std::max_element(image.values.begin(), image.values.end()), 4095.0f);
}

// Reference: pydicom 2.3.1 with Pillow 9.4.0, then
// pydicom.pixel_data_handlers.util.convert_color_space(arr, "YBR_FULL", "RGB"), divided by 255.
TEST(DicomImage, RgbJpegNearPydicom) {
  const image::Image image = read_dicom_image(dicom_file("SC_rgb_jpeg_dcmtk.dcm"));
  ASSERT_EQ(image.channels, 3u);
  ASSERT_EQ(image.height, 100u);
  ASSERT_EQ(image.width, 100u);
  struct Pixel {
    std::size_t y, x;
    float r, g, b;
  };
  const Pixel pixels[] = {
      {5, 50, 254, 0, 0},      {15, 50, 255, 127, 127}, {25, 50, 0, 255, 5},
      {35, 50, 129, 255, 129}, {45, 50, 0, 0, 254},     {55, 50, 128, 127, 255},
      {65, 50, 0, 0, 0},       {75, 50, 64, 64, 64},    {85, 50, 192, 192, 192},
      {95, 50, 255, 255, 255}, {50, 5, 125, 130, 255},
  };
  // Colour conversion in libjpeg (fixed point) and pydicom (floating point) round differently.
  const float tolerance = 3.0f / 255.0f;
  for (const Pixel& p : pixels) {
    SCOPED_TRACE(::testing::Message() << "pixel (" << p.y << ", " << p.x << ")");
    EXPECT_NEAR(image.at(0, p.y, p.x), p.r / 255.0f, tolerance);
    EXPECT_NEAR(image.at(1, p.y, p.x), p.g / 255.0f, tolerance);
    EXPECT_NEAR(image.at(2, p.y, p.x), p.b / 255.0f, tolerance);
  }
  EXPECT_GE(*std::min_element(image.values.begin(), image.values.end()), 0.0f);
  EXPECT_LE(*std::max_element(image.values.begin(), image.values.end()), 1.0f);
}

// A 4 x 2 PALETTE COLOR image with 8-bit indices 0..3 and 16-bit lookup tables mapping them to
// black, red, green and blue.
TEST(DicomImage, PaletteColourToRgb) {
  const TempDir dir;
  DicomCopy copy(dicom_file("CT_small.dcm"));
  DcmDataset& dataset = copy.dataset();
  delete dataset.remove(DCM_RescaleSlope);
  delete dataset.remove(DCM_RescaleIntercept);
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_Rows, 2).good());
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_Columns, 4).good());
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_BitsAllocated, 8).good());
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_BitsStored, 8).good());
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_HighBit, 7).good());
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_PixelRepresentation, 0).good());
  ASSERT_TRUE(dataset.putAndInsertString(DCM_PhotometricInterpretation, "PALETTE COLOR").good());
  const Uint8 indices[8] = {0, 1, 2, 3, 3, 2, 1, 0};
  ASSERT_TRUE(dataset.putAndInsertUint8Array(DCM_PixelData, indices, 8).good());

  const Uint16 descriptor[3] = {4, 0, 16};  // 4 entries, first index 0, 16 bits per entry
  const Uint16 red[4] = {0, 65535, 0, 0};
  const Uint16 green[4] = {0, 0, 65535, 0};
  const Uint16 blue[4] = {0, 0, 0, 65535};
  for (const auto& [descriptor_tag, data_tag, table] :
       {std::tuple{DCM_RedPaletteColorLookupTableDescriptor, DCM_RedPaletteColorLookupTableData,
                   red},
        std::tuple{DCM_GreenPaletteColorLookupTableDescriptor, DCM_GreenPaletteColorLookupTableData,
                   green},
        std::tuple{DCM_BluePaletteColorLookupTableDescriptor, DCM_BluePaletteColorLookupTableData,
                   blue}}) {
    ASSERT_TRUE(dataset.putAndInsertUint16Array(descriptor_tag, descriptor, 3).good());
    ASSERT_TRUE(dataset.putAndInsertUint16Array(data_tag, table, 4).good());
  }

  const image::Image image = read_dicom_image(copy.save(dir, "palette.dcm"));
  ASSERT_EQ(image.channels, 3u);
  ASSERT_EQ(image.height, 2u);
  ASSERT_EQ(image.width, 4u);
  const std::vector<float> expected = {0, 1, 0, 0, 0, 0, 1, 0,   // red plane: index 1
                                       0, 0, 1, 0, 0, 1, 0, 0,   // green plane: index 2
                                       0, 0, 0, 1, 1, 0, 0, 0};  // blue plane: index 3
  EXPECT_EQ(image.values, expected);
}

// no_meta.dcm is CT_small.dcm without preamble and file meta header, but it keeps one stray byte
// (0x20, the padding of the last meta element) before the data set.
TEST(DicomImage, NoMetaMatchesCtSmall) {
  expect_same_image(read_dicom_image(dicom_file("no_meta.dcm")),
                    read_dicom_image(dicom_file("CT_small.dcm")));
}

TEST(DicomImage, BareDatasetsRead) {
  const image::Image reference = read_dicom_image(dicom_file("CT_small.dcm"));
  const TempDir dir;
  DicomCopy copy(dicom_file("CT_small.dcm"));
  expect_same_image(read_dicom_image(copy.save_bare(dir, "explicit.dcm", EXS_LittleEndianExplicit)),
                    reference);
  expect_same_image(read_dicom_image(copy.save_bare(dir, "implicit.dcm", EXS_LittleEndianImplicit)),
                    reference);
}

// Reference: pydicom 2.3.1 ds.pixel_array of liver_1frame.dcm: 36233 ones, first at (145, 254),
// last at (366, 155).
TEST(DicomImage, SegmentationBinaryMask) {
  const image::Image mask = read_dicom_image(dicom_file("liver_1frame.dcm"));
  ASSERT_EQ(mask.channels, 1u);
  ASSERT_EQ(mask.height, 512u);
  ASSERT_EQ(mask.width, 512u);
  const auto not_binary = std::count_if(mask.values.begin(), mask.values.end(),
                                        [](float v) { return v != 0.0f && v != 1.0f; });
  EXPECT_EQ(not_binary, 0);
  EXPECT_EQ(sum_of(mask), 36233.0);
  EXPECT_EQ(mask.at(0, 145, 254), 1.0f);
  EXPECT_EQ(mask.at(0, 145, 253), 0.0f);
  EXPECT_EQ(mask.at(0, 366, 155), 1.0f);
  EXPECT_EQ(mask.at(0, 0, 0), 0.0f);
}

TEST(DicomImage, TruncatedFileRejected) {
  const auto path = dicom_file("MR_truncated.dcm");
  expect_error<InputError>([&] { read_dicom_image(path); },
                           {path.string(), "truncated or damaged"});
}

// JPEG-lossy.dcm with its transfer syntax UID changed, at equal length, from JPEG extended
// (1.2.840.10008.1.2.4.51) to JPEG 2000 (1.2.840.10008.1.2.4.91), which this DCMTK build does not
// decode.
TEST(DicomImage, JpegTwoThousandRejected) {
  std::string bytes = testing::read_bytes(dicom_file("JPEG-lossy.dcm"));
  const std::size_t at = bytes.find("1.2.840.10008.1.2.4.51");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 22, "1.2.840.10008.1.2.4.91");
  const TempDir dir;
  const auto path = dir.write("jpeg2000.dcm", bytes);
  expect_error<InputError>([&] { read_dicom_image(path); },
                           {path.string(), "1.2.840.10008.1.2.4.91", "cannot decode"});
}

TEST(DicomImage, MissingFileIsIoError) {
  const auto path = dicom_file("does_not_exist.dcm");
  expect_error<IoError>([&] { read_dicom_image(path); }, {path.string(), "cannot open"});
}

TEST(DicomImage, TextFileRejected) {
  const TempDir dir;
  const auto path = dir.write("notes.dcm", "these are plain text notes, not a DICOM file\n");
  expect_error<InputError>([&] { read_dicom_image(path); }, {path.string()});
}

TEST(DicomImage, WaveformHasNoPixelData) {
  const auto path = dicom_file("waveform_ecg.dcm");
  expect_error<InputError>([&] { read_dicom_image(path); },
                           {path.string(), "PixelData (7FE0,0010)", "read_dicom_waveform"});
}

// MR_small stores signed 16-bit values without rescale, so [lo, hi] = [-32768, 32767] and a
// MONOCHROME1 copy reads as lo + hi - x = -1 - x.
TEST(DicomImage, Monochrome1Inverted) {
  const image::Image reference = read_dicom_image(dicom_file("MR_small.dcm"));
  const TempDir dir;
  DicomCopy copy(dicom_file("MR_small.dcm"));
  ASSERT_TRUE(
      copy.dataset().putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME1").good());
  const image::Image inverted = read_dicom_image(copy.save(dir, "mono1.dcm"));
  ASSERT_EQ(inverted.values.size(), reference.values.size());
  for (std::size_t i = 0; i < reference.values.size(); ++i) {
    ASSERT_EQ(inverted.values[i], -1.0f - reference.values[i]) << "pixel " << i;
  }
}

// CT_small: signed 16 bits, intercept -1024, so [lo, hi] = [-33792, 31743] and x' = -2049 - x.
TEST(DicomImage, Monochrome1InvertsRescaledRange) {
  const image::Image reference = read_dicom_image(dicom_file("CT_small.dcm"));
  const TempDir dir;
  DicomCopy copy(dicom_file("CT_small.dcm"));
  ASSERT_TRUE(
      copy.dataset().putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME1").good());
  const image::Image inverted = read_dicom_image(copy.save(dir, "ct_mono1.dcm"));
  EXPECT_EQ(inverted.at(0, 0, 0), -2049.0f - reference.at(0, 0, 0));
  EXPECT_EQ(inverted.at(0, 64, 64), -2049.0f - reference.at(0, 64, 64));
  EXPECT_EQ(sum_of(inverted), -2049.0 * 128 * 128 - sum_of(reference));
}

// DCMTK's own modality transform rounds to integers; the reader keeps fractions.
TEST(DicomImage, FractionalRescaleKept) {
  const std::vector<Sint16> stored = ct_stored_values();
  const TempDir dir;
  DicomCopy copy(dicom_file("CT_small.dcm"));
  ASSERT_TRUE(copy.dataset().putAndInsertString(DCM_RescaleSlope, "0.5").good());
  ASSERT_TRUE(copy.dataset().putAndInsertString(DCM_RescaleIntercept, "-10.25").good());
  const image::Image image = read_dicom_image(copy.save(dir, "fractional.dcm"));
  for (const std::size_t i :
       {std::size_t{0}, std::size_t{1}, std::size_t{8256}, stored.size() - 1}) {
    EXPECT_EQ(image.values[i], static_cast<float>(stored[i] * 0.5 - 10.25)) << "pixel " << i;
  }
}

TEST(DicomImage, SharedFunctionalGroupRescale) {
  const image::Image reference = read_dicom_image(dicom_file("CT_small.dcm"));
  const TempDir dir;
  DicomCopy copy(dicom_file("CT_small.dcm"));
  DcmDataset& dataset = copy.dataset();
  delete dataset.remove(DCM_RescaleSlope);
  delete dataset.remove(DCM_RescaleIntercept);
  DcmItem* shared = nullptr;
  ASSERT_TRUE(
      dataset.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).good());
  DcmItem* transformation = nullptr;
  ASSERT_TRUE(
      shared->findOrCreateSequenceItem(DCM_PixelValueTransformationSequence, transformation, 0)
          .good());
  ASSERT_TRUE(transformation->putAndInsertString(DCM_RescaleSlope, "1").good());
  ASSERT_TRUE(transformation->putAndInsertString(DCM_RescaleIntercept, "-1024").good());
  expect_same_image(read_dicom_image(copy.save(dir, "shared_groups.dcm")), reference);
}

TEST(DicomImage, HalfRescaleRejected) {
  const TempDir dir;
  DicomCopy copy(dicom_file("CT_small.dcm"));
  delete copy.dataset().remove(DCM_RescaleSlope);
  const auto path = copy.save(dir, "intercept_only.dcm");
  expect_error<InputError>([&] { read_dicom_image(path); },
                           {path.string(), "RescaleSlope (0028,1053)", "both or neither"});
}

TEST(DicomImage, ModalityLutSequenceRejected) {
  const TempDir dir;
  DicomCopy copy(dicom_file("MR_small.dcm"));
  DcmItem* lut = nullptr;
  ASSERT_TRUE(copy.dataset().findOrCreateSequenceItem(DCM_ModalityLUTSequence, lut, 0).good());
  const Uint16 descriptor[3] = {2, 0, 16};  // 2 entries, first input value 0, 16 bits
  ASSERT_TRUE(lut->putAndInsertUint16Array(DCM_LUTDescriptor, descriptor, 3).good());
  const auto path = copy.save(dir, "modality_lut.dcm");
  expect_error<InputError>([&] { read_dicom_image(path); },
                           {path.string(), "ModalityLUTSequence (0028,3000)"});
}

// Three frames of MR_small, frame k holding the original values + 100 k.
std::filesystem::path write_three_frames(const TempDir& dir, E_TransferSyntax transfer_syntax,
                                         const char* name) {
  DicomCopy copy(dicom_file("MR_small.dcm"));
  DcmDataset& dataset = copy.dataset();
  const Uint16* original = nullptr;
  unsigned long count = 0;
  EXPECT_TRUE(dataset.findAndGetUint16Array(DCM_PixelData, original, &count).good());
  std::vector<Uint16> frames(3 * count);
  for (unsigned long k = 0; k < 3; ++k) {
    for (unsigned long i = 0; i < count; ++i) {
      frames[k * count + i] = static_cast<Uint16>(original[i] + 100 * k);
    }
  }
  EXPECT_TRUE(dataset.putAndInsertUint16Array(DCM_PixelData, frames.data(), frames.size()).good());
  EXPECT_TRUE(dataset.putAndInsertString(DCM_NumberOfFrames, "3").good());
  return copy.save(dir, name, transfer_syntax);
}

TEST(DicomImage, MultiFrameSelectsFrame) {
  testing::register_test_encoders();
  const image::Image reference = read_dicom_image(dicom_file("MR_small.dcm"));
  const TempDir dir;
  for (const E_TransferSyntax syntax : {EXS_LittleEndianExplicit, EXS_RLELossless}) {
    SCOPED_TRACE(DcmXfer(syntax).getXferName());
    const auto path =
        write_three_frames(dir, syntax, syntax == EXS_RLELossless ? "rle.dcm" : "le.dcm");
    expect_same_image(read_dicom_image(path), reference);
    DicomReadOptions options;
    options.frame = 2;
    const image::Image third = read_dicom_image(path, options);
    ASSERT_EQ(third.values.size(), reference.values.size());
    EXPECT_EQ(third.values[0], reference.values[0] + 200.0f);
    EXPECT_EQ(sum_of(third), sum_of(reference) + 200.0 * 64 * 64);
  }
}

TEST(DicomImage, FrameOutOfRangeRejected) {
  const TempDir dir;
  const auto path = write_three_frames(dir, EXS_LittleEndianExplicit, "three.dcm");
  DicomReadOptions options;
  options.frame = 3;
  expect_error<UsageError>([&] { read_dicom_image(path, options); },
                           {path.string(), "frame is 3", "3 frame(s)", "from 0 to 2"});
  const auto single = dicom_file("CT_small.dcm");
  options.frame = 1;
  expect_error<UsageError>([&] { read_dicom_image(single, options); },
                           {single.string(), "1 frame(s)"});
}

TEST(DicomImage, FrameSizeLimitBeforeDecoding) {
  const TempDir dir;
  DicomCopy copy(dicom_file("CT_small.dcm"));
  ASSERT_TRUE(copy.dataset().putAndInsertUint16(DCM_Rows, 65535).good());
  ASSERT_TRUE(copy.dataset().putAndInsertUint16(DCM_Columns, 65535).good());
  const auto path = copy.save(dir, "huge.dcm");
  expect_error<InputError>([&] { read_dicom_image(path); },
                           {path.string(), "Rows 65535 x Columns 65535", "max_frame_pixels"});
}

TEST(DicomImage, TotalSizeLimit) {
  DicomReadOptions options;
  options.max_total_pixels = 128 * 128 - 1;
  const auto path = dicom_file("CT_small.dcm");
  expect_error<InputError>([&] { read_dicom_image(path, options); },
                           {path.string(), "16384 pixels", "max_total_pixels"});
  options.max_total_pixels = 128 * 128;
  EXPECT_EQ(read_dicom_image(path, options).height, 128u);
}

TEST(DicomImage, InvalidOptionsRejected) {
  DicomReadOptions options;
  options.max_frame_pixels = 0;
  expect_error<UsageError>([&] { read_dicom_image(dicom_file("CT_small.dcm"), options); },
                           {"max_frame_pixels is 0"});
}

// DCMTK objects are per call and the decoder registry is read-only after set-up, so parallel reads
// of uncompressed, RLE and JPEG files agree with serial ones.
TEST(DicomImage, ConcurrentReadsAgree) {
  const char* const names[] = {"CT_small.dcm", "MR_small_RLE.dcm", "JPEG-lossy.dcm",
                               "SC_rgb_jpeg_dcmtk.dcm"};
  std::vector<image::Image> serial;
  for (const char* name : names) {
    serial.push_back(read_dicom_image(dicom_file(name)));
  }
  constexpr int kThreads = 4;
  std::vector<std::vector<image::Image>> parallel(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (const char* name : names) {
        parallel[t].push_back(read_dicom_image(dicom_file(name)));
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(parallel[t].size(), serial.size());
    for (std::size_t i = 0; i < serial.size(); ++i) {
      EXPECT_EQ(parallel[t][i].values, serial[i].values) << "thread " << t << ", " << names[i];
    }
  }
}

TEST(DicomImage, DecoderLogsNothing) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  EXPECT_THROW(read_dicom_image(dicom_file("MR_truncated.dcm")), InputError);
  EXPECT_THROW(read_dicom_image(dicom_file("waveform_ecg.dcm")), InputError);
  read_dicom_image(dicom_file("no_meta.dcm"));
  read_dicom_image(dicom_file("SC_rgb_jpeg_dcmtk.dcm"));
  const std::string out = ::testing::internal::GetCapturedStdout();
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out, "");
  EXPECT_EQ(err, "");
}

}  // namespace
}  // namespace privaudit::dicom
