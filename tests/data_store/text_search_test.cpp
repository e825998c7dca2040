#include <gtest/gtest.h>

#include "fixtures.h"
#include "tally/data/store.h"
#include "tally/data/text_search.h"

namespace tally::data {
namespace {

TEST(FtsIndexText, AppendsBigramsOfHangulRuns) {
  EXPECT_EQ(fts_index_text("revenue up"), "revenue up");
  EXPECT_EQ(fts_index_text("매출이 증가"), "매출이 증가\n매출 출이 증가 ");
  EXPECT_EQ(fts_index_text("A 시 B"), "A 시 B\n시 ");
}

TEST(FtsMatchExpression, CjkTermsBecomeBigramPhrases) {
  EXPECT_EQ(fts_match_expression("매출"), "\"매출\"");
  EXPECT_EQ(fts_match_expression("서울 매출"), "\"서울\" \"매출\"");
  EXPECT_EQ(fts_match_expression("증가했습니다"), "\"증가 가했 했습 습니 니다\"");
  EXPECT_EQ(fts_match_expression("시"), "\"시\"*");
  EXPECT_EQ(fts_match_expression("GDP성장률"), "\"GDP\" \"성장 장률\"");
  EXPECT_EQ(fts_match_expression("say \"hi\""), "\"say\" \"\"\"hi\"\"\"");
  EXPECT_EQ(fts_match_expression("  ... "), "");
}

class KoreanSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::open(tally::testing::scratch_dir("search_korean") + "/tally.db");
    ASSERT_TRUE(s) << s.error().message;
    store_.emplace(std::move(*s));
    conversation_ = *store_->create_conversation({"c", "", "{}"});
    for (const char* text : {"서울 지역 매출이 증가했습니다", "부산 지역의 비용은 감소했습니다",
                             "Revenue in Seoul grew 12% in July", "매출액 대비 영업이익률을 계산해 주세요"}) {
      NewMessage m;
      m.conversation_id = conversation_;
      m.role = "user";
      m.content = text;
      ids_.push_back(*store_->append_message(m));
    }
  }
  std::vector<std::int64_t> hits(const std::string& q) {
    auto r = store_->search_messages(q);
    EXPECT_TRUE(r) << r.error().message;
    std::vector<std::int64_t> out;
    if (r) {
      for (const auto& h : *r) out.push_back(h.id);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::optional<Store> store_;
  std::int64_t conversation_ = 0;
  std::vector<std::int64_t> ids_;
};

TEST_F(KoreanSearch, TwoSyllableWordFoundInsideLongerWord) {
  EXPECT_EQ(hits("매출"), (std::vector<std::int64_t>{ids_[0], ids_[3]}));
}

TEST_F(KoreanSearch, RegionWordMatchesBothSentences) {
  EXPECT_EQ(hits("지역"), (std::vector<std::int64_t>{ids_[0], ids_[1]}));
}

TEST_F(KoreanSearch, TwoTermsMustBothMatch) {
  EXPECT_EQ(hits("서울 매출"), (std::vector<std::int64_t>{ids_[0]}));
  EXPECT_TRUE(hits("부산 매출").empty());
}

TEST_F(KoreanSearch, LongerWordsAndInflectionsMatchAsPhrases) {
  EXPECT_EQ(hits("증가했습니다"), (std::vector<std::int64_t>{ids_[0]}));
  EXPECT_EQ(hits("감소"), (std::vector<std::int64_t>{ids_[1]}));
  EXPECT_EQ(hits("영업이익률"), (std::vector<std::int64_t>{ids_[3]}));
  EXPECT_TRUE(hits("매출감소").empty());
}

TEST_F(KoreanSearch, EnglishIsCaseInsensitive) {
  EXPECT_EQ(hits("seoul"), (std::vector<std::int64_t>{ids_[2]}));
  EXPECT_EQ(hits("REVENUE july"), (std::vector<std::int64_t>{ids_[2]}));
}

TEST_F(KoreanSearch, QuerySyntaxCharactersAreLiteral) {
  EXPECT_TRUE(hits("\"").empty());
  EXPECT_TRUE(hits("매출 OR NOT (").size() <= 2u);  // no FTS5 syntax error
  EXPECT_TRUE(hits("").empty());
}

TEST_F(KoreanSearch, SnippetMarksTheMatch) {
  auto r = store_->search_messages("Seoul");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_NE((*r)[0].snippet.find("[Seoul]"), std::string::npos);
  EXPECT_EQ((*r)[0].conversation_id, conversation_);
}

TEST_F(KoreanSearch, DocumentsToo) {
  ASSERT_TRUE(store_->add_document({"2분기 보고서", "", "text", "서울 지역 매출이 증가했습니다."}));
  auto r = store_->search_documents("매출");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 1u);
  EXPECT_EQ(store_->search_documents("보고서")->size(), 1u);  // titles are indexed
}

}  // namespace
}  // namespace tally::data
