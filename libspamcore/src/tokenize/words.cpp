#include "tokenize/words.hpp"

#include "tokenize/unicode.hpp"

namespace spamcore::tokenize::detail {
namespace {

bool is_joiner(char32_t c) { return c == '-' || c == '.' || c == '\'' || c == '_'; }

class Splitter {
 public:
  Splitter(const WordRules& rules, WordSink& sink) : rules_(rules), sink_(sink) {}

  void run(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      const auto byte = static_cast<unsigned char>(text[i]);
      char32_t c;
      bool word_char;
      if (byte < 0x80) {
        // ASCII, most of every message: none of the Unicode tables below apply (and no calls into them).
        c = byte;
        ++i;
        if (c >= 'A' && c <= 'Z') {
          ++upper_;
          c += 32;
          word_char = true;
        } else if (c >= 'a' && c <= 'z') {
          ++lower_;
          word_char = true;
        } else {
          word_char = c >= '0' && c <= '9';
        }
      } else {
        c = next_code_point(text, i);
        if (is_invisible(c)) continue;
        c = fold_case(c);
        if (is_cjk(c)) {
          flush();
          separator();
          cjk(c);
          continue;
        }
        word_char = is_word_char(c);
      }
      prev_cjk_ = 0;
      if (word_char) {
        if (joiner_ != 0) {
          word_.push_back(static_cast<char>(joiner_));
          ++joiners_;
          if (joiner_kind_ == 0) joiner_kind_ = joiner_;
          else if (joiner_kind_ != joiner_) joiner_kind_ = -1;
          joiner_ = 0;
        }
        add(c);
      } else if ((is_joiner(c) || (c == ',' && last_is_digit())) && !word_.empty() && joiner_ == 0 && word_ != "$") {
        joiner_ = static_cast<char>(c);
      } else if (c == '$' && word_.empty()) {
        word_ = "$";
      } else {
        flush();
        separator();
        // A line break or tab is never the one space inside a letter-spaced word ("G r a n t s\nE b o o k").
        if (c == '\n' || c == '\r' || c == '\t') separator();
      }
    }
    flush();
    end_spaced_run();
  }

 private:
  enum class Spacing { plain, dotted };

  void add(char32_t c) {
    if (c < 0x80) {
      word_.push_back(static_cast<char>(c));
      if (c >= 'a' && c <= 'z') latin_ = true;
      if (c >= '0' && c <= '9') ++digits_;
    } else {
      append_utf8(word_, c);
      if (latin_lookalike(c) != 0) lookalike_ = true;
    }
    ++len_;
  }

  // "1,000,000": a comma joins digit groups.
  bool last_is_digit() const { return !word_.empty() && word_.back() >= '0' && word_.back() <= '9'; }

  void separator() {
    ++separators_since_letter_;
  }

  void cjk(char32_t c) {
    if (prev_cjk_ != 0) {
      bigram_.clear();
      append_utf8(bigram_, prev_cjk_);
      append_utf8(bigram_, c);
      sink_.word(bigram_);
    }
    prev_cjk_ = c;
  }

  void flush() {
    const char trailing = joiner_;
    joiner_ = 0;
    if (word_.empty() || word_ == "$") {
      reset();
      return;
    }
    if (latin_ && lookalike_) fold_lookalikes();
    const bool single_letter = len_ == 1 && digits_ == 0 && word_ != "$";
    // "V I A G R A": single letters one separator apart.
    if (single_letter) {
      spaced_letter(trailing);
      reset();
      return;
    }
    end_spaced_run();
    separators_since_letter_ = 0;
    // "v.i.a.g.r.a": every other character the same joiner.
    if (joiner_kind_ > 0 && joiners_ >= 3 && letters_only_single_()) {
      std::string joined;
      for (char ch : word_)
        if (ch != joiner_kind_) joined.push_back(ch);
      word_.swap(joined);
    } else {
      len_ += joiners_;
    }
    emit(word_);
    if (rules_.caps && upper_ >= 3 && lower_ == 0 && len_ <= rules_.max_len) {
      out_ = "caps:";
      out_ += word_;
      sink_.word(out_);
    }
    reset();
  }

  // True when the word is single code points separated by joiners ("v.i.a.g.r.a").
  bool letters_only_single_() const {
    std::size_t i = 0;
    bool expect_char = true;
    while (i < word_.size()) {
      if (expect_char) {
        next_code_point(word_, i);
        expect_char = false;
      } else {
        if (word_[i] != joiner_kind_) return false;
        ++i;
        expect_char = true;
      }
    }
    return !expect_char;
  }

  void fold_lookalikes() {
    std::string folded;
    folded.reserve(word_.size());
    std::size_t i = 0;
    while (i < word_.size()) {
      const char32_t c = next_code_point(word_, i);
      const char32_t l = latin_lookalike(c);
      append_utf8(folded, l != 0 ? l : c);
    }
    word_.swap(folded);
  }

  // A run of spaced letters is plain ("V I A G R A") or dotted ("V. I. A. G. R. A."), as its first letter says.
  //  - A plain run takes one dotted (or otherwise punctuated) letter as its last: "i n c o m e. T h e r e".
  //  - A one-letter run followed by a letter of the other kind was a word or a sentence's end, not part of the run:
  //    "a V. I. A. G. R. A.", "x. T h e r e".
  //  - A plain letter after a dotted run is held back: the next plain letter one blank away shows it starts a
  //    spaced word of its own ("U. S. F R E E"); anything else makes it the run's undotted last letter
  //    ("V. I. A. G. R. A now"). Ambiguous and left so: "V. I. A. G. R. A. I promise" gives "viagrai".
  void spaced_letter(char trailing) {
    const Spacing kind = trailing == '.' ? Spacing::dotted : Spacing::plain;
    if (separators_since_letter_ != 1) end_spaced_run();
    if (!held_.empty()) {
      if (kind == Spacing::plain && trailing == 0) {
        std::string first;
        first.swap(held_);
        end_spaced_run();
        start_run(first, Spacing::plain);
        append_letter();
        separators_since_letter_ = 0;
        return;
      }
      end_spaced_run();  // the held letter ends the dotted run; this one starts anew
    } else if (spaced_len_ == 1 && spaced_kind_ != kind) {
      end_spaced_run();
    } else if (spaced_len_ > 1 && spaced_kind_ == Spacing::dotted && kind == Spacing::plain && trailing == 0) {
      held_ = word_;
      separators_since_letter_ = 0;
      return;
    }
    if (spaced_len_ == 0) spaced_kind_ = kind;
    append_letter();
    // Punctuation the run does not expect ends it after this letter, as a second blank would.
    const bool ends = kind != spaced_kind_ || (trailing != 0 && trailing != '.');
    separators_since_letter_ = ends ? 1 : 0;
  }

  void start_run(const std::string& letter, Spacing kind) {
    spaced_ = letter;
    spaced_len_ = 1;
    spaced_kind_ = kind;
  }

  void append_letter() {
    spaced_ += word_;
    ++spaced_len_;
  }

  void end_spaced_run() {
    if (!held_.empty()) {
      spaced_ += held_;
      ++spaced_len_;
      held_.clear();
    }
    if (spaced_len_ >= 4) emit(spaced_);
    spaced_.clear();
    spaced_len_ = 0;
  }

  void emit(const std::string& w) {
    const std::size_t len = &w == &spaced_ ? spaced_len_ : len_;
    if (len < rules_.min_len) return;
    if (len > rules_.max_len) {
      std::size_t i = 0;
      const char32_t first = next_code_point(w, i);
      out_ = "skip:";
      append_utf8(out_, first);
      out_ += ':';
      out_ += std::to_string(len / 10 * 10);
      sink_.word(out_);
      return;
    }
    if (digits_ > 4 && &w != &spaced_) {
      bool only_digits = true;
      for (char ch : w)
        if (!(ch >= '0' && ch <= '9') && !is_joiner(static_cast<unsigned char>(ch)) && ch != '$' && ch != ',')
          only_digits = false;
      if (only_digits) {
        out_ = w[0] == '$' ? "$num:" : "num:";
        out_ += std::to_string(digits_);
        sink_.word(out_);
        return;
      }
    }
    sink_.word(w);
  }

  void reset() {
    word_.clear();
    len_ = 0;
    digits_ = 0;
    joiners_ = 0;
    joiner_kind_ = 0;
    latin_ = false;
    lookalike_ = false;
    upper_ = lower_ = 0;
  }

  const WordRules& rules_;
  WordSink& sink_;
  std::string word_, spaced_, held_, out_, bigram_;
  std::size_t upper_ = 0, lower_ = 0;
  std::size_t len_ = 0, digits_ = 0, joiners_ = 0, spaced_len_ = 0, separators_since_letter_ = 0;
  Spacing spaced_kind_ = Spacing::plain;
  int joiner_kind_ = 0;
  char joiner_ = 0;
  bool latin_ = false, lookalike_ = false;
  char32_t prev_cjk_ = 0;
};

}  // namespace

void split_words(std::string_view text, const WordRules& rules, WordSink& sink) {
  Splitter(rules, sink).run(text);
}

}  // namespace spamcore::tokenize::detail
