// Error hierarchy shared by every module. Library code throws these and never prints or exits;
// the command line catches them once and maps each kind to its own exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace privaudit {

// Base of all errors that privaudit raises on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An option or argument has an invalid value. Exit code 64 (EX_USAGE).
class UsageError : public Error {
 public:
  using Error::Error;
};

// An input file or run folder has invalid content. Exit code 65 (EX_DATAERR).
class InputError : public Error {
 public:
  using Error::Error;
};

// Reading or writing a file failed at the operating-system level. Exit code 74 (EX_IOERR).
class IoError : public Error {
 public:
  using Error::Error;
};

// A broken internal invariant: a bug in privaudit. Exit code 70 (EX_SOFTWARE).
class InternalError : public Error {
 public:
  using Error::Error;
};

// The user interrupted the work (SIGINT or SIGTERM); finished work is kept. Exit code 130.
class Interrupted : public Error {
 public:
  using Error::Error;
};

}  // namespace privaudit

// Throws InternalError with the location when an invariant does not hold. For bugs only: user
// input is checked with messages that name the value and the fix.
#define PRIVAUDIT_CHECK(cond, msg)                                                        \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      throw ::privaudit::InternalError(std::string(__FILE__) + ":" +                      \
                                       std::to_string(__LINE__) + ": " + (msg));          \
    }                                                                                     \
  } while (0)
