#pragma once
// Shared helpers of the CLI tests: run ws::cli::run in-process and capture its outputs.
#include "ui/cli/cli.h"

#include <QFile>
#include <QString>

#include <sstream>
#include <string>
#include <vector>

namespace clitest {

using Args = std::vector<std::string>;

struct Result
{
    int code = -1;
    std::string out, err;
};

inline Result cli(const Args& args, const ws::cli::RunEnv& env = {})
{
    std::ostringstream out, err;
    Result r;
    r.code = ws::cli::run(args, out, err, env);
    r.out = out.str();
    r.err = err.str();
    return r;
}

inline std::string readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return "<unreadable>";
    return f.readAll().toStdString();
}

} // namespace clitest
