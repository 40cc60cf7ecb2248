package textread

// fuzzyStop are real English words that lie one letter from a lexicon word of
// seven letters or more ("numbers" from "numbess", "smelling" from "swelling",
// "clothing" from "clotting"); they are never corrected. The list was made by
// running every lower-case word of a standard English word list through the
// spelling correction; a few that are mostly misspellings here ("message" for
// "massage") were left out of it.
var fuzzyStop = wordSet(`
	bowling aphasic aspiring backslide badder barbing barging baring barking barring beading binding blacken blacker
	blander blanked blanking blaster blasters bleated bleeping blending blinking blocked blocking blotted
	blurted bluster blusters boated bonding bottling braised braises braising breaching breather breathy
	breeding bristle brittler bruiser bruisers brushing bucked bucking buckler bucklers budging bugling bulking
	bulling bunging burping burred burring burying busing caches camping cancels cankerous cankers canters
	capping catcher catchers champing chocked chuckled clacked clamping cleanly clothing clouting clucked
	cohered concession confuser confuted considerably contused cooked copping couched couching coveted cowered
	cracker crackled cradling cramming cranked crapping cricked crimping croaked crocked crooned cruise crusted
	crusting currant dependant dinging dogging drainer dripped dripping drooled drooling dropper expensive
	extremer failing fainter father feathery feeding feinted feinting filling finders firearm firearms fizzling
	flasher flashers flashest fleshed fleshes fleshing flusher fragiler frighting frizzing fueling fuzzing
	gabbled gabled gambled gaping garbed gargled gashing gassing gastric genial glowing grasping groping
	growling gutting hamstrung healing heaping hearing horridly hunting hurling hurtling immerse inanely incense
	incredible infested inflated inflected inflection injected injection insured intenser inured jibbing jobbing
	kilning knelling laborer leading leafing leaning leaping leasing leaving licking lighten lightening lilting
	liming limning linting lisping listing lofting looming looping looting lucking lunching meddled medial
	metastasis minima missive moaning mooning mourning muddied needless noshing notching noticeably numbers
	pailful parsing pasting patent pausing paying peacemaker pepping pickling piecing pipping planar planing
	planter plating plopping plying pouncing praying pricking primate primates privater privatest property
	propping proscribed prostrate pupping rapture reacting reasonable redress related relating relayed relaying
	remover roaching roofing rubbishy ruining sallow sanding scabbing scattered scooting scrams scraper scratchy
	sealing seaming seating selling sensitize setting sewing shading shagging shallot shaming shaping sharing
	sharking shavers shaving shearing shelled shelling shiners shipped shipping shitting shooing should shouting
	shuttered sifting silting singles sinning sipped sipping skewing skipped skipping slabbing slaking slapped
	slapping slaying slewing slickness slipper slitting slivering slivers slopped slopping slurped slurping
	smarted smearing smelled smelling smolder smolders smoulder smoulders snagging snaking snaring sneaking
	snipped snipping snitches snorting soaking soaring solder solders sounder spanning sparing sparkler
	sparklers spattered spaying spearing specking splatting splinting sporing spouting spurred spurring spurting
	staffer staking stales stapler staplers stared staring starred starter startled starved stated staying
	steaks stewing stiffen stiffens straggle straggling straighter strainer stranding stranger strangle streaky
	streams stretchy stubbing suction sureness swabbing swaggering swagging swattered swearing sweller swilled
	swilling switches tacking tangles tangling tanking tasking tattering thanking thicken thicket thinker
	thinkers thinness though thought thromboses through ticker tingeing tinges tinkles tinkling tinning tipping
	tittering tolerably tortuous torturer trailing tripling troupers tuning turfing twerked twister twitted
	twitting unbeatable uncomfortably wafting waiting waking waling walling waning wanking wasting wherever
	worming wreaked wrecker zincing
`)
