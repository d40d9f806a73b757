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
          end_spaced_run();  // a CJK character is not the one blank inside a letter-spaced word
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
    const bool single_letter = len_ == 1 && digits_ == 0 && word_[0] != '$';
    // "V I A G R A": single letters one separator apart.
    if (single_letter) {
      spaced_letter(trailing);
      reset();
      return;
    }
    const bool dotted_word = joiner_kind_ > 0 && joiners_ >= 3 && letters_only_single_();
    // "T O L L-F R E E", "s i g n-up": the word continues the spaced run before it. Real text can look the same
    // ("V I A G R A e-shop"), so the rejoining only adds: the run so far and the word are emitted as ever.
    const bool joins_run = joiners_ > 0 && !dotted_word && trailing == 0 && can_join_run();
    if (!joins_run) {
      end_spaced_run();
      separators_since_letter_ = 0;
    } else if (seed_len_ == 0) {
      emit_spaced(spaced_, spaced_len_);  // as ending the run would (a seeded run's seed is out already)
    }
    // "v.i.a.g.r.a": every other character the same joiner.
    if (dotted_word) {
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
    if (joins_run) {
      spaced_ += word_;
      spaced_len_ += len_;
      separators_since_letter_ = 0;
      if (!ends_in_joined_letter(true)) end_spaced_run();  // "n-up" ends the compound; "l-f" lets it go on
    } else if (trailing == 0 && ends_in_joined_letter(false)) {
      // "e-m a i l", "2.W r i n k l e": a word ending in a joiner and one letter may start a letter-spaced compound.
      // The run it seeds is a word only if two spaced letters or more follow ("it's a" is not one: an apostrophe
      // never seeds).
      start_run(word_, Spacing::plain);
      spaced_len_ = len_;
      seed_len_ = len_;
    }
    reset();
  }

  // A word ending in a joiner and a single letter: "e-m", "l-f", "2.w"; "it's" only when `apostrophe`.
  bool ends_in_joined_letter(bool apostrophe) const {
    if (word_.size() < 3) return false;
    std::size_t i = word_.size() - 1;
    while (i > 0 && (static_cast<unsigned char>(word_[i]) & 0xC0) == 0x80) --i;  // the last code point's start
    if (i == 0) return false;
    const auto joiner = static_cast<unsigned char>(word_[i - 1]);
    if (!is_joiner(joiner) || (joiner == '\'' && !apostrophe)) return false;
    const auto last = static_cast<unsigned char>(word_[i]);
    return !(last >= '0' && last <= '9');
  }

  // The word (one letter, a joiner, more: "l-f", "n-up", "n't") can continue the plain spaced run of two or more
  // letters it follows one blank after ("d o n't").
  // A run already longer than a word can be is only a skip token: it ends instead. (Each joining emits the run so far,
  // so a run grown without end by "a b c-d c-d c-d ..." cost quadratic time: minutes for 1 MB.)
  bool can_join_run() const {
    if (separators_since_letter_ != 1 || spaced_len_ < seed_len_ + 2 || !held_.empty() || !previous_.empty() ||
        spaced_kind_ != Spacing::plain || spaced_len_ > rules_.max_len)
      return false;
    std::size_t i = 0;
    const char32_t first = next_code_point(word_, i);
    return i < word_.size() && is_joiner(static_cast<unsigned char>(word_[i])) && !(first >= '0' && first <= '9');
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
  //  - A one-letter run followed by a letter of the other kind was a word or a sentence's end, not part of the run:
  //    "a V. I. A. G. R. A.", "x. T h e r e".
  //  - After two or more letters, a letter of the other kind is held back one step. If the next letter, one blank
  //    away, is of the held letter's kind, the held letter starts that new run ("U. S. F R E E", "F R E E V. I. A.");
  //    otherwise it is the run's last letter ("i n c o m e. T h e r e", "V. I. A. G. R. A now").
  //  - A run started from a held letter that ends under four letters gives that letter back: "V. I. A. G. R. A a b"
  //    is "viagra". Ambiguous and left so: "V. I. A. G. R. A. I promise" gives "viagrai".
  //  - Other punctuation after a letter ("a- b-") ends the run after that letter, as a second blank would.
  void spaced_letter(char trailing) {
    const Spacing kind = trailing == '.' ? Spacing::dotted : Spacing::plain;
    if (separators_since_letter_ != 1) end_spaced_run();
    separators_since_letter_ = 0;
    if (!held_.empty()) {
      if (kind == held_kind_) {
        // The held letter and this one begin a new run; the old one waits to see whether the new run lasts.
        std::string first;
        first.swap(held_);
        finish_run(false);
        previous_ = std::move(spaced_);
        previous_len_ = spaced_len_;
        start_run(first, kind);
      } else {
        end_spaced_run();  // the held letter was the run's last
      }
    } else if (spaced_len_ == 1 && spaced_kind_ != kind) {
      end_spaced_run();
    } else if (spaced_len_ > 1 && spaced_kind_ != kind) {
      held_ = word_;
      held_kind_ = kind;
      if (trailing != 0 && trailing != '.') end_spaced_run();
      return;
    }
    if (spaced_len_ == 0) start_run(word_, kind);
    else append_letter(word_);
    if (trailing != 0 && trailing != '.') separators_since_letter_ = 1;  // ends the run at the next blank
  }

  void start_run(const std::string& letter, Spacing kind) {
    spaced_.clear();
    spaced_len_ = 0;
    spaced_kind_ = kind;
    seed_len_ = 0;
    append_letter(letter);
  }

  void append_letter(const std::string& letter) {
    spaced_ += letter;
    ++spaced_len_;
  }

  void end_spaced_run() { finish_run(true); }

  // Ends the run: a held letter becomes its last; a run begun from a held letter that stayed under four letters
  // gives it back to the run before. With `emit_current` false the current run is kept for the caller.
  void finish_run(bool emit_current) {
    if (!held_.empty()) {
      append_letter(held_);
      held_.clear();
    }
    if (!previous_.empty()) {
      if (spaced_len_ >= 4) {
        emit_spaced(previous_, previous_len_);
      } else {
        std::size_t i = 0;
        next_code_point(spaced_, i);
        emit_spaced(previous_ + spaced_.substr(0, i), previous_len_ + 1);
        spaced_.clear();
        spaced_len_ = 0;
      }
      previous_.clear();
      previous_len_ = 0;
    }
    if (!emit_current) return;
    // A seed was emitted as the word it is; with fewer than two spaced letters after it, that is all it was.
    if (spaced_len_ >= seed_len_ + 2) emit_spaced(spaced_, spaced_len_);
    seed_len_ = 0;
    spaced_.clear();
    spaced_len_ = 0;
  }

  void emit_spaced(std::string letters, std::size_t len) {
    if (len < 4) return;
    // One-letter words are never folded as words ("А" alone is Cyrillic); a run of them mixing scripts is.
    bool latin = false, other = false;
    std::size_t i = 0;
    while (i < letters.size()) {
      const char32_t c = next_code_point(letters, i);
      (c < 0x80 ? latin : other) = true;
    }
    if (latin && other) {
      std::string folded;
      i = 0;
      while (i < letters.size()) {
        const char32_t c = next_code_point(letters, i);
        const char32_t l = latin_lookalike(c);
        append_utf8(folded, l != 0 ? l : c);
      }
      letters.swap(folded);
    }
    spaced_out_ = std::move(letters);
    spaced_out_len_ = len;
    emit(spaced_out_);
  }

  void emit(const std::string& w) {
    const std::size_t len = &w == &spaced_out_ ? spaced_out_len_ : len_;
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
    if (digits_ > 4 && &w != &spaced_out_) {
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
  std::string word_, spaced_, held_, previous_, spaced_out_, out_, bigram_;
  std::size_t upper_ = 0, lower_ = 0;
  std::size_t len_ = 0, digits_ = 0, joiners_ = 0, spaced_len_ = 0, separators_since_letter_ = 0;
  std::size_t previous_len_ = 0, spaced_out_len_ = 0;
  Spacing spaced_kind_ = Spacing::plain, held_kind_ = Spacing::plain;
  int joiner_kind_ = 0;
  char joiner_ = 0;
  bool latin_ = false, lookalike_ = false;
  std::size_t seed_len_ = 0;  // length of the word that seeded the spaced run ("e-m", emitted already); 0: none
  char32_t prev_cjk_ = 0;
};

}  // namespace

void split_words(std::string_view text, const WordRules& rules, WordSink& sink) {
  Splitter(rules, sink).run(text);
}

}  // namespace spamcore::tokenize::detail
