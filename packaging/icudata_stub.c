/* An empty ICU common-data package: ICU's own "stubdata" (icu4c/source/stubdata), the
 * library ICU builds when its data ships as separate files. The bundle uses it in place of
 * Qt's 32 MB libicudata.so.73 (collation tables, charset converters, locale data), which a
 * widgets app on Linux does not need: Qt calls ICU only for locale-aware collation, case
 * mapping and legacy codecs, and falls back to its own code when ICU finds no data.
 * build.spec compiles it; tests/test_bundle_contents.py keeps the app off ICU-only Qt calls. */
#include <stdint.h>

typedef struct {
    uint16_t size;
    uint8_t reserved, isBigEndian, charsetFamily, sizeofUChar, reservedByte;
    uint8_t dataFormat[4], formatVersion[4], dataVersion[4];
} UDataInfo;

typedef struct {
    uint16_t headerSize;
    uint8_t magic1, magic2;
    UDataInfo info;
    char padding[8];
    uint32_t count, reserved;
    uint32_t toc[2];
    int fakeNameAndData[4];
} IcuDataHeader;

#ifndef ICU_DATA_SYMBOL
#define ICU_DATA_SYMBOL icudt73_dat
#endif

__attribute__((visibility("default"))) const IcuDataHeader ICU_DATA_SYMBOL = {
    32, 0xda, 0x27,
    {sizeof(UDataInfo), 0, 0 /* little endian */, 0 /* ASCII */, 2, 0,
     {0x54, 0x6f, 0x43, 0x50} /* "ToCP" */, {1, 0, 0, 0}, {0, 0, 0, 0}},
    {0, 0, 0, 0, 0, 0, 0, 0},
    0, 0,
    {0, 0},
    {0, 0, 0, 0},
};
