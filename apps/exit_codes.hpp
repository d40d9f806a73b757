#pragma once
// The documented exit codes (bogofilter's, so existing procmail/maildrop recipes keep working).

namespace spamcore::app {

enum class ExitCode : int { spam = 0, ham = 1, unsure = 2, error = 3 };
constexpr int kSuccess = 0;
constexpr int kError = static_cast<int>(ExitCode::error);

}  // namespace spamcore::app
