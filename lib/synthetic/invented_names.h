// Parts of invented surnames, streets and towns, shared by the synthetic
// generators: a first part and an ending ("Ash" + "worth"), about 1,500
// surnames, so a large population has the spread of surnames a real one
// has while no name belongs to anyone.
#ifndef MARAC_SYNTHETIC_INVENTED_NAMES_H_
#define MARAC_SYNTHETIC_INVENTED_NAMES_H_

namespace marac {

inline constexpr const char* kInventedNameStart[] = {
    "Ash",  "Brad",  "Carr",  "Dun",  "Elm",  "Fair", "Gold", "Hart",
    "Ing",  "Kent",  "Lang",  "Mar",  "Nor",  "Oak",  "Pen",  "Rad",
    "Shel", "Thorn", "Un",    "Wal",  "Whit", "Brom", "Cald", "Dray",
    "Farn", "Grim",  "Hal",   "Kirk", "Lin",  "Mil",  "Ros",  "Stan",
    "Tal",  "Wend",  "Brack", "Chad", "Dal",  "Ever", "Fen",  "Hol",
    "Lock", "Mor",   "Pick",  "Ray",  "Sel",  "Tor",  "West", "Wyn"};
inline constexpr const char* kInventedNameEnd[] = {
    "worth",   "ley",  "ton",   "field", "wood",  "ford",  "by",   "ham",
    "well",    "more", "combe", "stead", "ridge", "shaw",  "bury", "dale",
    "wick",    "ston", "land",  "brook", "hurst", "croft", "gate", "holme",
    "thwaite", "den",  "lowe",  "man",   "er",    "son",   "kin",  "ett"};

}  // namespace marac

#endif  // MARAC_SYNTHETIC_INVENTED_NAMES_H_
