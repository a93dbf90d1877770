// Regression runner for a fuzz target, built with any compiler (no libFuzzer needed): runs the
// target's LLVMFuzzerTestOneInput over every file of the given corpus directories (or files), so
// that CTest replays the committed corpus -- under ASan/UBSan in the asan preset. A property
// failure aborts (the test fails); an empty corpus is an error too (a wrong path must not pass).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv)
{
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const fs::path p(argv[i]);
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            for (const auto& e : fs::recursive_directory_iterator(p))
                if (e.is_regular_file())
                    files.push_back(e.path());
        } else if (fs::is_regular_file(p, ec)) {
            files.push_back(p);
        } else {
            std::fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            return 2;
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "replay: no inputs (usage: %s CORPUS_DIR|FILE...)\n",
                     argc > 0 ? argv[0] : "replay");
        return 2;
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        // (stdio rather than istreambuf_iterator: GCC 12 -O2 warns falsely on the latter.)
        std::string bytes;
        std::FILE* in = std::fopen(f.c_str(), "rb");
        char buf[4096];
        std::size_t got = 0;
        while (in && (got = std::fread(buf, 1, sizeof buf, in)) > 0)
            bytes.append(buf, got);
        if (!in || std::ferror(in)) {
            std::fprintf(stderr, "replay: cannot read %s\n", f.c_str());
            return 2;
        }
        std::fclose(in);
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    std::printf("replay: %zu inputs passed\n", files.size());
    return 0;
}
